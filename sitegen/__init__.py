"""sitegen: 党员积分管理 content (YAML/Markdown in git) → 党务公开 site, PDFs, xlsx, screens."""

__version__ = "0.1.0"
