"""Printable bulletin-board PDFs with WeasyPrint: 公示 posters, 考核表 and 统计表."""
