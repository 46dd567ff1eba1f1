"""The embedded CJK font as small as the glyphs the PDF draws.

WeasyPrint subsets a font keeping every glyph's id ("retain gids"), because the text
of its pages names glyphs by their ids in the whole font. For Noto Sans CJK SC the
glyphs a poster uses lie anywhere up to id 65,000, so its subset still carries some
63,000 empty glyphs: the CFF table's CharStrings index alone is 190 KB of offsets, and
a one-page poster with 120 characters weighs 160 KB, 95 % of it that font file.

Noto CJK's CFF is CID-keyed (Adobe-Identity-0) with each glyph's CID equal to its id,
and a PDF can embed such a font as a bare CID-keyed CFF program (FontFile3 with Subtype
/CIDFontType0C — what Acrobat Distiller and Ghostscript have always written for CJK):
the reader then finds a glyph by its CID through the CFF's charset, not by position.
So, after WeasyPrint has built the PDF objects and before they are written (its
documented `finisher` hook), each such font is subset again to just the glyphs the
PDF's width arrays name, without keeping ids; the charset keeps their CIDs, so the
text, its widths and its ToUnicode map stay exactly as WeasyPrint wrote them. The
subsetting is HarfBuzz's (libharfbuzz-subset, which WeasyPrint already uses), called
through ctypes; it is deterministic, and takes well under a millisecond.

A font that is not CID-keyed, or whose CIDs would not be its glyph ids, is left as
WeasyPrint embedded it (checked on the result: every glyph the PDF draws must be found
under its id in the new charset).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
from functools import lru_cache

# hb_subset_flags_t (hb-subset.h)
_NO_HINTING = 0x1
_DESUBROUTINIZE = 0x4
_MEMORY_MODE_READONLY = 1


class _HarfBuzz:
    def __init__(self, hb: ctypes.CDLL, subset: ctypes.CDLL):
        vp, u = ctypes.c_void_p, ctypes.c_uint
        for lib, name, res, args in (
            (hb, "hb_blob_create", vp, [ctypes.c_char_p, u, ctypes.c_int, vp, vp]),
            (hb, "hb_blob_destroy", None, [vp]),
            (hb, "hb_blob_get_data", vp, [vp, ctypes.POINTER(u)]),
            (hb, "hb_face_create", vp, [vp, u]),
            (hb, "hb_face_destroy", None, [vp]),
            (hb, "hb_face_reference_table", vp, [vp, ctypes.c_uint32]),
            (hb, "hb_set_add", None, [vp, ctypes.c_uint32]),
            (subset, "hb_subset_input_create_or_fail", vp, []),
            (subset, "hb_subset_input_destroy", None, [vp]),
            (subset, "hb_subset_input_glyph_set", vp, [vp]),
            (subset, "hb_subset_input_set_flags", None, [vp, u]),
            (subset, "hb_subset_or_fail", vp, [vp, vp]),
        ):
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = res, args
        self.hb, self.subset = hb, subset

    def cff_subset(self, otf: bytes, gids: list[int]) -> bytes | None:
        """The 'CFF ' table of `otf` (an OpenType font) subset to `gids`, ids not kept."""
        blob = self.hb.hb_blob_create(otf, len(otf), _MEMORY_MODE_READONLY, None, None)
        face = self.hb.hb_face_create(blob, 0)
        spec = self.subset.hb_subset_input_create_or_fail()
        result = table = None
        try:
            if not spec:
                return None
            glyphs = self.subset.hb_subset_input_glyph_set(spec)
            for gid in gids:
                self.hb.hb_set_add(glyphs, gid)
            self.subset.hb_subset_input_set_flags(spec, _NO_HINTING | _DESUBROUTINIZE)
            result = self.subset.hb_subset_or_fail(face, spec)
            if not result:
                return None
            table = self.hb.hb_face_reference_table(result, int.from_bytes(b"CFF ", "big"))
            length = ctypes.c_uint(0)
            data = self.hb.hb_blob_get_data(table, ctypes.byref(length))
            return ctypes.string_at(data, length.value) if data and length.value else None
        finally:
            if table:
                self.hb.hb_blob_destroy(table)
            if result:
                self.hb.hb_face_destroy(result)
            if spec:
                self.subset.hb_subset_input_destroy(spec)
            self.hb.hb_face_destroy(face)
            self.hb.hb_blob_destroy(blob)


@lru_cache(maxsize=1)
def _harfbuzz() -> _HarfBuzz | None:
    names = {
        "hb": ("libharfbuzz.so.0", ctypes.util.find_library("harfbuzz")),
        "subset": ("libharfbuzz-subset.so.0", ctypes.util.find_library("harfbuzz-subset")),
    }
    libs = {}
    for key, candidates in names.items():
        for name in candidates:
            if not name:
                continue
            try:
                libs[key] = ctypes.CDLL(name)
                break
            except OSError:
                continue
        else:
            return None
    return _HarfBuzz(libs["hb"], libs["subset"])


def _cids(cff: bytes) -> list[int] | None:
    """The CID of each glyph of a CID-keyed CFF program, by glyph id; None if not CID-keyed."""
    from fontTools.cffLib import CFFFontSet

    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    top = fonts.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return None
    return [0 if name == ".notdef" else int(name[3:]) for name in top.charset]


def compact_cff(otf: bytes, gids: set[int]) -> bytes | None:
    """A bare CID-keyed CFF program with just `gids` (and .notdef), each under a CID equal
    to its id in `otf`; None when that cannot be made (no HarfBuzz subsetter, not a
    CID-keyed font, CIDs that are not the glyph ids)."""
    hb = _harfbuzz()
    if hb is None or not otf.startswith(b"OTTO"):
        return None
    cff = hb.cff_subset(otf, sorted(gids | {0}))
    if cff is None:
        return None
    try:
        cids = _cids(cff)
    except Exception:  # a CFF fontTools cannot read: keep WeasyPrint's font
        return None
    if cids is None or not gids <= set(cids) or cids != sorted(set(cids)):
        return None
    return cff


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


def _widths_gids(widths) -> set[int]:
    """The glyph ids a CIDFont's /W array gives widths for: [first [w1 w2 …] first [...] …]."""
    gids: set[int] = set()
    items = list(widths)
    for first, run in zip(items[::2], items[1::2]):
        gids.update(range(int(first), int(first) + len(run)))
    return gids


def compact_fonts(document, pdf) -> None:
    """WeasyPrint `finisher`: every embedded OpenType CFF font replaced by a bare CFF with
    the glyphs the PDF draws (see the module's docstring). `pdf` is WeasyPrint's
    pydyf.PDF: its objects are dictionaries (dict subclasses) and streams (`.stream`, a
    list of byte strings, and `.extra`, the stream's dictionary)."""
    objects = pdf.objects
    used: dict[int, set[int]] = {}  # font descriptor → glyph ids drawn
    cid_fonts: dict[int, list[dict]] = {}
    for obj in objects:
        if isinstance(obj, dict) and obj.get("Subtype") == "/CIDFontType0" and "FontDescriptor" in obj:
            descriptor = _number(obj["FontDescriptor"])
            used.setdefault(descriptor, set()).update(_widths_gids(obj.get("W", ())))
            cid_fonts.setdefault(descriptor, []).append(obj)
    done: dict[int, bytes | None] = {}
    for descriptor, gids in used.items():
        font_file = objects[descriptor].get("FontFile3")
        if font_file is None or not gids:
            continue
        number = _number(font_file)
        stream = objects[number]
        if number not in done:
            if not hasattr(stream, "extra") or stream.extra.get("Subtype") != "/OpenType":
                continue
            program = b"".join(bytes(part) for part in stream.stream)
            cff = compact_cff(program, _all_gids(used, objects, number))
            done[number] = cff
            if cff is not None:
                stream.stream = [cff]
                stream.extra["Subtype"] = "/CIDFontType0C"
        if done.get(number) is not None:
            for cid_font in cid_fonts[descriptor]:
                cid_font.pop("CIDToGIDMap", None)  # for Type 2 CIDFonts only


def _all_gids(used: dict[int, set[int]], objects, font_file: int) -> set[int]:
    """Every glyph drawn with one font file (several descriptors may share it)."""
    gids: set[int] = set()
    for descriptor, drawn in used.items():
        ref = objects[descriptor].get("FontFile3")
        if ref is not None and _number(ref) == font_file:
            gids |= drawn
    return gids
