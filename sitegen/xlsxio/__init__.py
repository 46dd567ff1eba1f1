"""The xlsx route in for branches that keep their 台账 in Excel (an edge of the pipeline,
like git: it writes content, the pipeline never calls it).

    template(district, branch_id, year, entries=()) → .xlsx bytes of the ledger template
    import_ledger(content_root, branch_id, year, xlsx_path) → ImportResult

The template's drop-downs come from the content (the branch's effective items, its
roster); the import checks every cell, writes nothing unless the whole sheet is right,
and appends new entries to ledger/q1..q4.yaml without touching what is there.
"""

from sitegen.xlsxio.importer import Added, ImportResult, import_ledger
from sitegen.xlsxio.template import TemplateError, template

__all__ = ["template", "TemplateError", "import_ledger", "ImportResult", "Added"]
