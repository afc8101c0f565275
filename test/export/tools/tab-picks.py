"""
The tab each case gets from tabs.yml, evaluated by Ansible's own templating
(its Templar, the code a playbook evaluates `runbook_tab_json` with), one
process for every case: a playbook task looping over the cases spent most of
its time in Ansible's per-item machinery (minutes for a few hundred cases).

Usage: python3 tab-picks.py TABS_YML CASES_JSON
CASES_JSON: [{"name": …, "facts": {"ansible_distribution": …, …}}, …]
Prints {name: {group id: label}} as JSON.
"""
import json
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

loader = DataLoader()
tabs = loader.load_from_file(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:
    cases = json.load(f)

picks = {}
for case in cases:
    templar = Templar(loader=loader, variables={**tabs, **case["facts"]})
    value = templar.template("{{ runbook_tab_json }}")
    picks[case["name"]] = json.loads(value) if isinstance(value, str) else value
json.dump(picks, sys.stdout)
