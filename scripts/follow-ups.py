#!/usr/bin/env python3
"""Follow-up timing of a roster, as a planner would count it from the instance and the roster.

    scripts/follow-ups.py INSTANCE.json ROSTER.json [WITHIN]

Prints: re-checks scheduled, before their deadline, on time (within WITHIN sweep days of
the deadline, or of the horizon's start when it had passed; default: the instance's
policy.follow_up_within_days, else 5), the overdue ones (deadline before the horizon) in
the first WITHIN sweep days, majors among them, and follow-ups excluded or unscheduled
with their codes. Sweep days are the horizon's working days (weekdays not in the
calendar's holidays, plus its extra working days) outside blackout periods: a reading
aid; the checker is the authority.
"""
import datetime as dt
import json
import sys

inst = json.load(open(sys.argv[1]))
roster = json.load(open(sys.argv[2]))
within = int(sys.argv[3]) if len(sys.argv) > 3 else (inst.get("policy") or {}).get("follow_up_within_days") or 5
start = dt.date.fromisoformat(inst["horizon"]["start"])
end = dt.date.fromisoformat(inst["horizon"]["end"])
cal = inst.get("calendar") or {}
holidays = {dt.date.fromisoformat(d) for d in cal.get("holidays", [])}
extra = {dt.date.fromisoformat(d) for d in cal.get("extra_workdays", [])}
blackouts = [(dt.date.fromisoformat(p["start"]), dt.date.fromisoformat(p["end"]))
             for p in cal.get("periods", []) if p["kind"] == "blackout"]
days = []
d = start
while d <= end:
    working = (d.weekday() < 5 and d not in holidays) or d in extra
    if working and not any(a <= d <= b for a, b in blackouts):
        days.append(d)
    d += dt.timedelta(days=1)

pending = {}
for f in inst.get("findings", []):
    dl = dt.date.fromisoformat(f["deadline"])
    if f["rectified"] or dl > end:
        continue
    p = pending.setdefault(f["enterprise"], {"deadline": dl, "major": False})
    p["deadline"] = min(p["deadline"], dl)
    p["major"] |= f["severity"] == "major"

visits = {}
for c in roster["crews"]:
    for v in c["visits"]:
        visits[v["enterprise"]] = dt.date.fromisoformat(c["date"])

rows = {"scheduled": 0, "before deadline": 0, "on time": 0, "late": 0, "sweep days late (sum)": 0,
        "overdue (deadline passed)": 0, "overdue in the first days": 0,
        "overdue majors": 0, "overdue majors in the first days": 0}
for firm, p in pending.items():
    date = visits.get(firm)
    if date is None:
        continue
    rows["scheduled"] += 1
    if date < p["deadline"]:
        rows["before deadline"] += 1
        continue
    frm = max(p["deadline"], start)
    rank = sum(1 for s in days if frm <= s < date)
    late = max(0, rank + 1 - within)
    rows["on time" if late == 0 else "late"] += 1
    rows["sweep days late (sum)"] += late
    if p["deadline"] < start:
        rows["overdue (deadline passed)"] += 1
        rows["overdue in the first days"] += late == 0
        if p["major"]:
            rows["overdue majors"] += 1
            rows["overdue majors in the first days"] += late == 0
codes = {}
for u in roster.get("unscheduled", []):
    if u["enterprise"] in pending:
        codes["unscheduled " + u["code"]] = codes.get("unscheduled " + u["code"], 0) + 1
for e in roster.get("excluded", []):
    if e["enterprise"] in pending:
        codes["excluded " + e["code"]] = codes.get("excluded " + e["code"], 0) + 1
print(f"follow-ups pending: {len(pending)} (within = {within} sweep days)")
for k, v in list(rows.items()) + sorted(codes.items()):
    print(f"  {k:36} {v}")
