#!/usr/bin/env python3
"""Print the README's table of losses: name, module, case count and spec link, from spec/ and
cases/ (stdlib only). Usage: python3 tools/loss_table.py"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    rows = []
    for spec in sorted((ROOT / "spec").glob("*.md")):
        text = spec.read_text(encoding="utf-8")
        if "```yaml signature" not in text.splitlines():
            continue
        loss = spec.stem
        module = re.search(r"^module: (\S+)", text, re.M).group(1)
        cases = sum(
            path.read_text(encoding="utf-8").count("\n  - name:")
            for path in (ROOT / "cases").rglob("*.yaml")
            if re.search(rf"^loss: {loss}$", path.read_text(encoding="utf-8"), re.M)
        )
        rows.append((loss, module, cases))
    print("| loss (`torch.nn.functional`) | module | cases | spec |")
    print("|---|---|---:|---|")
    for loss, module, cases in rows:
        print(f"| `{loss}` | `{module}` | {cases} | [spec/{loss}.md](spec/{loss}.md) |")
    print(f"| **{len(rows)} losses** | | **{sum(c for _, _, c in rows)}** | |")


if __name__ == "__main__":
    main()
