#!/usr/bin/env python3
"""Writes the committed seed corpora in fuzz/corpus/<target>/ from the repository's own
fixtures (fixtures/cases/*.json, tests/data, the head of fixtures/cangzhou's files) and
small hand-written records that match sweep_solver::examples::TWO_FIRMS (the instance
the targets put records into). Run from the repository root: python3 fuzz/seeds.py"""
import json, os, pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"

def write(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())

def head(path, n):
    return "".join((root / path).read_text(encoding="utf-8").splitlines(True)[:n])

# csv_registries: selector byte + CSV text (reader order as in the target).
TWO_FIRMS_CSV = {
    "districts": "id,name,lat,lon,city\nD1,运河区,38.31,116.86,\n",
    "officers": "id,name,district,base_lat,base_lon,unavailable,max_days\nO1,王强,D1,,,2027-03-02,4\n",
    "experts": "id,name,tier,title,specialties,certified_until,home_lat,home_lon,unavailable,max_days,day_rate,avoid_enterprises,avoid_groups\n"
               "E1,李明,city,senior,construction;fire_safety,2028-12-31,38.30,116.85,,,,F2,\n"
               "E2,张伟,city,intermediate,electrical,2028-12-31,38.32,116.84,2027-03-01,3,650.5,,\n"
               "E3,刘洋,provincial,associate_senior,construction,2028-12-31,38.29,116.88,,,,,华北集团\n",
    "enterprises": "id,name,district,lat,lon,group,sector,risk,major_hazard_level,processes,standardization,blacklisted,officer,open,close,closed_dates,required_specialties,min_tier,team_size,duration_min\n"
                   "F1,沧州建工一号工地,D1,38.33,116.87,,construction,yellow,0,,2,false,O1,07:30,17:30,,,,,\n"
                   "F2,华北商城,D1,38.30,116.90,华北集团,crowded_venue,red,2,,,否,O1,,,2027-03-03,fire_safety;electrical,city,2,120\n",
    "history": "enterprise,date,experts,kind\nF1,2026-09-01,E1;E3,expert_sweep\nF2,2027-01-15,,enforcement\n",
    "findings": "id,enterprise,severity,found_on,deadline,rectified\nH1,F1,major,2027-01-09,2027-03-03,false\nH2,F2,general,2026-12-22,2027-01-21,true\n",
    "road_nodes": "id,lat,lon\nN1,38.31,116.86\nN2,38.33,116.87\nN3,38.30,116.90\n",
    "road_edges": "from,to,km,class\nN1,N2,2.6,local\nN2,N3,3.9,county\nN1,N3,4.1,expressway\n",
}
for i, (name, text) in enumerate(TWO_FIRMS_CSV.items()):
    write("csv_registries", f"{i}-{name}-two-firms", bytes([i]) + text.encode())
    write("csv_registries", f"{i}-{name}-cangzhou", bytes([i]) + head(f"fixtures/cangzhou/{name}.csv", 6).encode())

# toml_settings: 0 calendar, 1 policy.
write("toml_settings", "0-calendar-cangzhou", b"\x00" + (root / "fixtures/cangzhou/calendar.toml").read_bytes())
write("toml_settings", "1-policy-cangzhou", b"\x01" + (root / "fixtures/cangzhou/policy.toml").read_bytes())
write("toml_settings", "1-policy-partial", b'\x01seed = 7\nrandom_share = 0.5\n[day_rates]\nsenior = 900.0\nassociate_senior = 700.0\nintermediate = 600.0\n')

# instance_json and instance_solve: the rule cases and TWO_FIRMS (with and without roads).
two_firms = re.search(r'TWO_FIRMS: &str = r#"(.*?)"#;', (root / "solver/src/examples.rs").read_text(), re.S).group(1)
roads = re.search(r'ROADS: &str = r#"(.*?)"#;', (root / "fuzz/src/lib.rs").read_text(), re.S).group(1)
with_roads = json.loads(two_firms)
with_roads["travel"] = json.loads(roads)
small_cases = []
for case in sorted((root / "fixtures/cases").glob("*.json")):
    text = case.read_text(encoding="utf-8")
    compact = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    write("instance_json", case.stem, compact)
    inst = json.loads(text)
    if len(inst["enterprises"]) <= 12 and len(inst["experts"]) <= 8 and len(inst["officers"]) <= 4:
        write("instance_solve", case.stem, compact)
for target in ("instance_json", "instance_solve"):
    write(target, "two_firms", two_firms)
    write(target, "two_firms_roads", json.dumps(with_roads, ensure_ascii=False))

# roster_json: the committed roster, and the same trimmed to one crew.
roster = (root / "tests/data/blackout_week.roster.json").read_text(encoding="utf-8")
write("roster_json", "blackout_week.roster", json.dumps(json.loads(roster), separators=(",", ":")))
r = json.loads(roster)
r["crews"] = r["crews"][:1]
write("roster_json", "one_crew.roster", json.dumps(r, separators=(",", ":")))

# records_json: selector byte + one record's JSON (order as in the target).
inst = json.loads(two_firms)
case = json.loads((root / "fixtures/cases/blackout_week.json").read_text(encoding="utf-8"))
records = [
    ("district", inst["districts"][0]),
    ("officer", {**inst["officers"][0], "base": {"lat": 38.3, "lon": 116.8}, "unavailable": ["2027-03-02"], "max_days": 3}),
    ("expert", {**inst["experts"][1], "id": "E9", "day_rate": 650.5, "avoid_enterprises": ["F1"], "avoid_groups": ["G"]}),
    ("enterprise", {**inst["enterprises"][0], "id": "F3", "hours": {"open": "09:00", "close": "17:00"}, "team_size": 3, "duration_min": 90, "min_tier": "provincial"}),
    ("history", {"enterprise": "F1", "date": "2026-09-01", "experts": ["E1", "E3"], "kind": "expert_sweep"}),
    ("finding", {"id": "H1", "enterprise": "F2", "severity": "major", "found_on": "2027-01-09", "deadline": "2027-03-03", "rectified": False}),
    ("policy", {"seed": 3, "random_share": 0.2, "max_team": 4, "day_rates": {"senior": 900.0, "associate_senior": 700.0, "intermediate": 600.0}}),
    ("calendar", case["calendar"]),
    ("travel", json.loads(roads)),
    ("horizon", {"start": "2027-03-01", "end": "2027-03-31"}),
    ("period", {"name": "两会", "start": "2027-03-03", "end": "2027-03-04", "kind": "blackout"}),
]
for i, (name, value) in enumerate(records):
    write("records_json", f"{i:02}-{name}", bytes([i]) + json.dumps(value, ensure_ascii=False).encode())
