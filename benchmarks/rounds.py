#!/usr/bin/env python3
# Copyright 2026 the james-split-domain authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""Medians and ranges of benchmarks/run.sh's alternating rounds, as Markdown table rows.

rounds.txt has one line per timed load: "set round server msg/s cpu_ms_per_mail connections intake_msg/s
[database_cpu_ms_per_mail]" ("-" where a figure does not apply; the last only for a James on the benchmark's
database). A ratio is taken within each round, between two loads that shared the machine's moment, and its median
and range over the rounds are given.

    rounds.py servers rounds.txt SET 'label|server' ...
        | label | msg/s median [range] | James CPU ms per mail median [range] | SMTP connections per round |
        [ database CPU ms per mail median [range] | ]
    rounds.py ratios rounds.txt SET 'label|a|b|field|target' ...     (field: rate, cpu, intake or database; target: >=1.5, <=1.1 or empty)
        | label | median [range] | target, met or not |
    rounds.py fanout fanout.txt
        | recipients | relays | mails/s | recipients/s | CPU µs per recipient | CPU ms per mail | transactions per mail | connections |
"""
import statistics
import sys

FIELDS = {'rate': 0, 'cpu': 1, 'connections': 2, 'intake': 3, 'database': 4}


def load(path, wanted):
    rounds = {}
    for line in open(path):
        parts = line.split()
        if len(parts) not in (7, 8) or parts[0] != wanted:
            continue
        _, round_, server, *figures = parts
        rounds.setdefault(server, {})[int(round_)] = [None if figure == '-' else float(figure) for figure in figures]
    return rounds


def spread(values, digits):
    values = [value for value in values if value is not None]
    if not values:
        return ''
    form = f'{{:,.{digits}f}}'
    median = form.format(statistics.median(values))
    if len(values) == 1:
        return median
    return f'{median} [{form.format(min(values))}–{form.format(max(values))}]'


def servers(path, wanted, specs):
    rounds = load(path, wanted)
    for spec in specs:
        label, server = spec.split('|')
        figures = list(rounds.get(server, {}).values())
        rate = spread([f[0] for f in figures], 0)
        cpu = spread([f[1] for f in figures], 2)
        connections = spread([f[2] for f in figures], 0)
        database = [f[4] for f in figures if len(f) > 4]
        extra = f' {spread(database, 2)} |' if database else ''
        print(f'| {label} | {rate} | {cpu} | {connections} |{extra}')


def ratio_values(rounds, a, b, field):
    index = FIELDS[field]
    values = []
    for round_, figures in rounds.get(a, {}).items():
        other = rounds.get(b, {}).get(round_)
        if other and len(figures) > index and len(other) > index and figures[index] is not None and other[index]:
            values.append(figures[index] / other[index])
    return values


def verdict(values, target):
    if not target or not values:
        return ''
    median = statistics.median(values)
    bound = float(target[2:])
    met = median >= bound if target.startswith('>=') else median <= bound
    return f'{target.replace(">=", "≥ ").replace("<=", "≤ ")}: {"met" if met else "**not met**"}'


def ratios(path, wanted, specs):
    rounds = load(path, wanted)
    for spec in specs:
        label, a, b, field, target = spec.split('|')
        values = ratio_values(rounds, a, b, field)
        print(f'| {label} | {spread(values, 2)} | {verdict(values, target)} |')


def fanout(path):
    cells = {}
    for line in open(path):
        _, _, cell, *figures = line.split()
        cells.setdefault(cell, []).append([float(figure) for figure in figures])
    for cell, loads in cells.items():
        recipients, relays = cell.split('x')
        columns = [spread([load[i] for load in loads], digits) for i, digits in ((0, 0), (1, 0), (2, 0), (3, 2), (4, 0), (5, 0))]
        print(f'| {recipients} | {relays} | ' + ' | '.join(columns) + ' |')


def main():
    command, path = sys.argv[1], sys.argv[2]
    if command == 'servers':
        servers(path, sys.argv[3], sys.argv[4:])
    elif command == 'ratios':
        ratios(path, sys.argv[3], sys.argv[4:])
    elif command == 'fanout':
        fanout(path)
    else:
        raise SystemExit(f'unknown command {command}')


if __name__ == '__main__':
    main()
