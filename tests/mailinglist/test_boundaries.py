"""The mailing list learns of new posts by signal alone: it imports no content app."""

import ast
from pathlib import Path

import mailinglist

FORBIDDEN = {"news", "reports", "contacts", "ktnsite"}


def test_the_mailing_list_imports_no_content_app_and_not_ktnsite():
    offenders = []
    for path in Path(mailinglist.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
