#!/usr/bin/env python3
"""Who sits in the crews of a roster, as a planner would count it from the instance and the roster.

    scripts/teams.py INSTANCE.json ROSTER.json

Prints: expert seats whose expert holds a specialty some visit of the crew's day requires
(the rule), expert-visit slots whose expert holds one of that visit's own specialties,
major chemical visits (key process or level-1/2 major hazard) with safety management and
with four or more experts, and national and provincial expert-days on crews whose firms
need that tier (provincial: red, a level-1/2 major hazard, a key process; or the firm's
min_tier). The specialties are derived as docs/rules.md gives them: a reading aid; the
checker is the authority.
"""
import json
import sys

SECTOR = {
    "hazardous_chemicals": ["process", "equipment", "electrical"],
    "fireworks": ["fireworks"],
    "non_coal_mining": ["mining"],
    "metallurgy": ["metallurgy", "equipment"],
    "special_equipment": ["special_equipment"],
    "construction": ["construction"],
    "crowded_venue": ["fire_safety", "electrical"],
    "occupational_health": ["occupational_health"],
    "dangerous_goods_transport": ["transport", "process"],
    "city_gas": ["gas", "equipment"],
}
TIERS = {"city": 0, "provincial": 1, "national": 2}

inst = json.load(open(sys.argv[1]))
roster = json.load(open(sys.argv[2]))
policy = inst.get("policy") or {}
safety = policy.get("major_chemical_safety_management", True)
firms = {f["id"]: f for f in inst["enterprises"]}
experts = {e["id"]: e for e in inst["experts"]}


def major_chemical(f):
    return f["sector"] == "hazardous_chemicals" and (
        f.get("processes") or f.get("major_hazard_level", 0) in (1, 2))


def needs(f):
    if f.get("required_specialties"):
        return set(f["required_specialties"])
    s = set(SECTOR[f["sector"]])
    if safety and major_chemical(f):
        s.add("safety_management")
    return s


def tier_needed(f):
    if f.get("min_tier"):
        return TIERS[f["min_tier"]]
    demanding = f["risk"] == "red" or f.get("major_hazard_level", 0) in (1, 2) or f.get("processes")
    return 1 if demanding else 0


seats = seats_ok = slots = slots_ok = 0
major = major_safety = major_four = 0
high = {"national": [0, 0], "provincial": [0, 0]}  # [days, days on crews that need the tier]
for c in roster["crews"]:
    visited = [firms[v["enterprise"]] for v in c["visits"]]
    day_needs = set().union(*(needs(f) for f in visited)) if visited else set()
    top = max((tier_needed(f) for f in visited), default=0)
    for e in c["experts"]:
        held = set(experts[e]["specialties"])
        seats += 1
        seats_ok += bool(held & day_needs)
        tier = experts[e]["tier"]
        if tier in high:
            high[tier][0] += 1
            high[tier][1] += top >= 1
        for f in visited:
            slots += 1
            slots_ok += bool(held & needs(f))
    for f in visited:
        if major_chemical(f):
            major += 1
            held = set().union(*(set(experts[e]["specialties"]) for e in c["experts"]))
            major_safety += "safety_management" in held
            major_four += len(c["experts"]) >= 4


def pct(a, b):
    return f"{a} of {b} ({100 * a / b:.1f} %)" if b else "0 of 0"


print(f"expert seats with a specialty of the crew's day: {pct(seats_ok, seats)}")
print(f"expert-visit slots with a specialty of that visit: {pct(slots_ok, slots)}")
print(f"major chemical visits with safety management: {pct(major_safety, major)}")
print(f"major chemical visits with 4 or more experts: {pct(major_four, major)}")
for tier, (days, needed) in high.items():
    print(f"{tier} expert-days on crews whose firms need a provincial or higher lead: {pct(needed, days)}")
