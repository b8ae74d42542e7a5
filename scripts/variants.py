#!/usr/bin/env python3
"""Cities unlike the Cangzhou fixture, made from a generated city instance (JSON).

    scripts/variants.py CITY.json OUT_DIR

writes three instances beside each other, each a reshaped copy of CITY.json:

- parks.json: dense chemical parks, scarce officers and provincial experts. Two thirds of
  the hazardous-chemicals firms move into two parks (2 km across) beside two district
  bases; a third of the district officers are gone (their districts and portfolios fall
  to the city-level officers); three in four provincial experts become city tier.
- sprawl.json: a sprawling inland city: every location and road node twice as far from
  the centre, every road twice as long, expressways and national roads demoted to
  county roads (sparse, slow roads, long drives).
- followups.json: many follow-ups early in the month: a major, unrectified finding at a
  quarter of the red and orange firms, deadlines from 2027-02-20 to 2027-03-05.

Random choices use a fixed seed, so the variants are the same from the same input.
"""
import copy
import json
import random
import sys
from pathlib import Path


def centre(instance):
    lats = [d["base"]["lat"] for d in instance["districts"]]
    lons = [d["base"]["lon"] for d in instance["districts"]]
    return sum(lats) / len(lats), sum(lons) / len(lons)


def locations(instance):
    """Every location object of an instance (mutable dicts with lat/lon)."""
    for d in instance["districts"]:
        yield d["base"]
    for o in instance["officers"]:
        if o.get("base"):
            yield o["base"]
    for e in instance["experts"]:
        if e.get("home"):
            yield e["home"]
    for f in instance["enterprises"]:
        yield f["location"]
    network = (instance.get("travel") or {}).get("network")
    if network:
        yield from network["nodes"]


def parks(instance, rng):
    out = copy.deepcopy(instance)
    bases = [d["base"] for d in out["districts"]][:2]
    chemicals = [f for f in out["enterprises"] if f["sector"] == "hazardous_chemicals"]
    for f in rng.sample(chemicals, len(chemicals) * 2 // 3):
        base = rng.choice(bases)
        f["location"] = {
            "lat": base["lat"] + rng.uniform(-0.009, 0.009),
            "lon": base["lon"] + rng.uniform(-0.011, 0.011),
        }
    district_officers = [o for o in out["officers"] if o["district"] != "city"]
    gone = {o["id"] for o in rng.sample(district_officers, len(district_officers) // 3)}
    out["officers"] = [o for o in out["officers"] if o["id"] not in gone]
    # Their firms' portfolios go to the city-level officers in turn.
    city = [o["id"] for o in out["officers"] if o["district"] == "city"]
    for n, f in enumerate(f for f in out["enterprises"] if f.get("officer") in gone):
        f["officer"] = city[n % len(city)]
    provincial = [e for e in out["experts"] if e["tier"] == "provincial"]
    for e in rng.sample(provincial, len(provincial) * 3 // 4):
        e["tier"] = "city"
    out["name"] = instance["name"] + "-parks"
    return out


def sprawl(instance, _rng):
    out = copy.deepcopy(instance)
    lat0, lon0 = centre(out)
    for loc in locations(out):
        loc["lat"] = lat0 + 2.0 * (loc["lat"] - lat0)
        loc["lon"] = lon0 + 2.0 * (loc["lon"] - lon0)
    network = (out.get("travel") or {}).get("network")
    if network:
        for edge in network["edges"]:
            edge["km"] = round(edge["km"] * 2.0, 2)
            if edge["class"] in ("expressway", "national"):
                edge["class"] = "county"
    out["name"] = instance["name"] + "-sprawl"
    return out


def followups(instance, rng):
    out = copy.deepcopy(instance)
    risky = [f for f in out["enterprises"] if f["risk"] in ("red", "orange")]
    days = [f"2027-02-{d:02d}" for d in range(20, 29)] + [f"2027-03-{d:02d}" for d in range(1, 6)]
    for n, f in enumerate(rng.sample(risky, len(risky) // 4)):
        out["findings"].append(
            {
                "id": f"V{n:05d}",
                "enterprise": f["id"],
                "severity": "major",
                "found_on": "2027-01-15",
                "deadline": rng.choice(days),
                "rectified": False,
            }
        )
    out["name"] = instance["name"] + "-followups"
    return out


def main():
    city, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    instance = json.loads(city.read_text())
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, make in (("parks", parks), ("sprawl", sprawl), ("followups", followups)):
        variant = make(instance, random.Random(7))
        (out_dir / f"{name}.json").write_text(json.dumps(variant, ensure_ascii=False))
        print(out_dir / f"{name}.json")


if __name__ == "__main__":
    main()
