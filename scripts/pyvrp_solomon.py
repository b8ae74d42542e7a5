#!/usr/bin/env python3
"""PyVRP on Solomon-format VRPTW instances, under the convention of `hazard-sweep bench solomon`.

    python3 scripts/pyvrp_solomon.py [--time-limit 10] [--seed 1] [--scale 1000]
        [--csv OUT] [--solutions DIR] INSTANCE.txt...
    python3 scripts/pyvrp_solomon.py --check ROUTES.txt INSTANCE.txt

Convention (the same as our engine's): distance only, any number of vehicles up to the fleet
size, unrounded Euclidean distance = travel time, capacity, service starts within each window
(waiting allowed), every route back at the depot by the depot's due date (the horizon).

PyVRP works on integers, so coordinates' distances and all times are multiplied by --scale:
edge distance = round(d * scale) (the objective PyVRP minimises), edge duration =
ceil(d * scale) (conservative: a schedule feasible with the rounded-up durations is feasible
with the true ones, because all windows and service times are integers and scale exactly).
The reported distance is NOT PyVRP's objective divided back: it is recomputed from the raw
coordinates, unrounded, and every route is re-checked against the raw data (each customer
exactly once, at most the fleet, load within capacity, windows, return by the horizon).

The second form checks a solution file (`Route #k: 3 17 ...` lines, as written by
`hazard-sweep bench solomon --solutions DIR` and by --solutions here) the same way and prints
`distance,vehicles` (exit 1 with the problems when infeasible).

Needs pyvrp (pip install pyvrp; scripts/vrptw-vs-pyvrp.sh sets up a virtual environment) only
for solving; --check needs the standard library only. PyVRP's solver is single-threaded.
"""

import argparse
import csv
import math
import os
import sys
import time

TOL = 1e-6  # times are sums of irrational distances; windows are integers


def parse_instance(path):
    """The Solomon text layout: fleet line after `NUMBER ...`, nodes after `CUST NO.`."""
    with open(path) as f:
        lines = [line.strip() for line in f]
    fleet_at = next(i for i, line in enumerate(lines) if line.startswith("NUMBER"))
    vehicles, capacity = (float(t) for t in lines[fleet_at + 1].split())
    header = next(i for i, line in enumerate(lines) if line.startswith("CUST NO"))
    nodes = []
    for line in lines[header + 1 :]:
        if not line:
            continue
        row = [float(t) for t in line.split()]
        if len(row) != 7:
            raise ValueError(f"{path}: a customer line must hold seven numbers: {line!r}")
        if int(row[0]) != len(nodes):
            raise ValueError(f"{path}: customer {row[0]} out of order")
        nodes.append(row[1:])  # x, y, demand, ready, due, service
    name = os.path.splitext(os.path.basename(path))[0]
    return {"name": name, "vehicles": int(vehicles), "capacity": capacity, "nodes": nodes}


def dist(inst, a, b):
    (xa, ya), (xb, yb) = inst["nodes"][a][:2], inst["nodes"][b][:2]
    return math.hypot(xa - xb, ya - yb)


def check(inst, routes):
    """Re-checks routes (lists of customer numbers, depot implied) against the raw data.
    Returns (unrounded total distance, list of problems)."""
    nodes, problems = inst["nodes"], []
    n = len(nodes)
    seen = [0] * n
    used = [r for r in routes if r]
    if len(used) > inst["vehicles"]:
        problems.append(f"{len(used)} routes but only {inst['vehicles']} vehicles")
    horizon = nodes[0][4]
    total = 0.0
    for k, route in enumerate(used, 1):
        at, t, load = 0, nodes[0][3], 0.0
        for c in route:
            if not 0 < c < n:
                problems.append(f"route {k}: {c} is not a customer")
                continue
            seen[c] += 1
            d = dist(inst, at, c)
            total += d
            _, _, demand, ready, due, service = nodes[c]
            start = max(t + d, ready)
            if start > due + TOL:
                problems.append(f"route {k}: customer {c} starts at {start:.4f} > due {due:g}")
            load += demand
            t, at = start + service, c
        d = dist(inst, at, 0)
        total += d
        if t + d > horizon + TOL:
            problems.append(f"route {k}: back at {t + d:.4f} > horizon {horizon:g}")
        if load > inst["capacity"] + TOL:
            problems.append(f"route {k}: load {load:g} > capacity {inst['capacity']:g}")
    for c in range(1, n):
        if seen[c] != 1:
            problems.append(f"customer {c} visited {seen[c]} times")
    return total, problems


def read_routes(path):
    routes = []
    with open(path) as f:
        for line in f:
            if line.startswith("Route"):
                routes.append([int(t) for t in line.split(":", 1)[1].split()])
    return routes


def integral(value, what):
    if value != int(value):
        raise ValueError(f"{what} {value} is not an integer (PyVRP needs integer loads)")
    return int(value)


def solve(inst, time_limit, seed, scale):
    import pyvrp
    from pyvrp.stop import MaxRuntime

    nodes = inst["nodes"]
    m = pyvrp.Model()
    locs = [m.add_location(x=node[0], y=node[1]) for node in nodes]
    s = lambda v: int(round(v * scale))  # windows and service times are integers
    ready0, due0 = nodes[0][3], nodes[0][4]
    m.add_depot(locs[0], tw_early=s(ready0), tw_late=s(due0))
    for i in range(1, len(nodes)):
        _, _, demand, ready, due, service = nodes[i]
        m.add_client(
            locs[i],
            delivery=[integral(demand, f"demand of {i}")],
            service_duration=s(service),
            tw_early=s(ready),
            tw_late=s(due),
        )
    m.add_vehicle_type(
        num_available=inst["vehicles"],
        capacity=[integral(inst["capacity"], "capacity")],
        tw_early=s(ready0),
        tw_late=s(due0),
    )
    for a in range(len(nodes)):
        for b in range(len(nodes)):
            if a != b:
                d = dist(inst, a, b) * scale
                m.add_edge(locs[a], locs[b], distance=int(round(d)), duration=math.ceil(d - 1e-7))
    started = time.monotonic()
    result = m.solve(stop=MaxRuntime(time_limit), seed=seed, display=False, collect_stats=False)
    seconds = time.monotonic() - started
    # Client k (0-based, in the order added) is Solomon customer k + 1.
    routes = [
        [a.idx + 1 for a in route.schedule() if a.is_client()] for route in result.best.routes()
    ]
    return routes, result.is_feasible(), result.cost(), seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("instances", nargs="+", help="Solomon-format instance files")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=int, default=1000, help="integer scale of distances/times")
    p.add_argument("--csv", help="write the rows here (default: standard output)")
    p.add_argument("--solutions", help="write each solution (Route #k: ...) into this folder")
    p.add_argument("--check", metavar="ROUTES", help="only check this solution file")
    args = p.parse_args()

    if args.check:
        inst = parse_instance(args.instances[0])
        total, problems = check(inst, read_routes(args.check))
        if problems:
            print(f"{inst['name']}: infeasible: " + "; ".join(problems), file=sys.stderr)
            return 1
        print(f"{total:.4f},{sum(1 for r in read_routes(args.check) if r)}")
        return 0

    from importlib.metadata import version

    pyvrp_version = version("pyvrp")
    if args.solutions:
        os.makedirs(args.solutions, exist_ok=True)
    out = open(args.csv, "w", newline="") if args.csv else sys.stdout
    w = csv.writer(out)
    w.writerow(
        ["instance", "customers", "vehicles", "distance", "feasible", "pyvrp_cost_scaled",
         "seconds", "seed", "scale", "pyvrp_version", "problems"]
    )
    bad = 0
    for path in args.instances:
        inst = parse_instance(path)
        routes, pyvrp_feasible, cost, seconds = solve(inst, args.time_limit, args.seed, args.scale)
        total, problems = check(inst, routes)
        if not pyvrp_feasible:
            problems.insert(0, "PyVRP reports its best solution infeasible")
        bad += bool(problems)
        w.writerow(
            [inst["name"], len(inst["nodes"]) - 1, sum(1 for r in routes if r), f"{total:.4f}",
             "no" if problems else "yes", cost if math.isfinite(cost) else "", f"{seconds:.2f}",
             args.seed, args.scale, pyvrp_version, "; ".join(problems)]
        )
        out.flush()
        if args.solutions:
            with open(os.path.join(args.solutions, inst["name"] + ".txt"), "w") as f:
                for k, r in enumerate((r for r in routes if r), 1):
                    f.write(f"Route #{k}: {' '.join(map(str, r))}\n")
                f.write(f"Cost {total:.4f}\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
