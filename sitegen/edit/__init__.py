"""`sitegen edit`: the secretary's editor — the year's work in forms, checked before it is
saved, committed to a git branch for review.

    cli        the command's arguments (`add`/`add_parser`, `run`)
    server     the HTTP server: loopback or accounts, sessions, CSRF, dispatch
    views      what each page shows and what each form does
    pages      the templates, the stylesheet and the one small script
    forms      form fields → a text change (and which form field each new line holds)
    yamledit   the text writers: a file changes only by the text added or edited
    workspace  one branch's year: a change checked in memory (as `sitegen check`), saved atomically
    gitops     提交审核: a commit on a new branch from a temporary index, pushed to origin
    accounts   accounts outside the content repository, hashed passwords, login limits
"""
