"""Text from the sources cannot forge the README's marker lines and break every later build."""

from __future__ import annotations

import pytest

from scripts.cli import main
from scripts.render.readme import BEGIN, END


@pytest.mark.parametrize("marker", [END, BEGIN, "<!-- END connector section -->"])
def test_a_description_holding_a_marker_does_not_break_later_builds(project, capsys, marker):
    source = project / "connector" / "operations" / "GetMessage.yaml"
    lines = source.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("description: "))
    lines[index] = f"description: 'Fetches a message. {marker} Then nothing else.'"
    source.write_text("\n".join(lines) + "\n")
    for _ in range(2):
        assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    assert main(["build", "--check", "--root", str(project)]) == 0, capsys.readouterr().err
    readme = (project / "README.md").read_text()
    assert readme.count(BEGIN) == 1 and readme.count(END) == 1
    assert "END connector section" in readme.split(BEGIN, 1)[1], "the text itself is kept, escaped"
