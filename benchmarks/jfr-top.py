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
"""Where a James spends its CPU, from the execution samples of a JFR recording (benchmarks/run.sh --profile-relay).

    jfr print --stack-depth 96 --events jdk.ExecutionSample rec.jfr | jfr-top.py [title]

Prints the samples by thread (the pool a sample ran in: SMTP I/O, spooler, relay delivery...), the hottest top
frames, and the James, Jakarta Mail and split-domain methods on the stack (inclusive), each as a share of all samples.
"""
import collections
import re
import sys

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(')
THREAD = re.compile(r'sampledThread = "([^"]*)"')
INCLUSIVE = ('org.splitdomain', 'org.apache.james', 'org.apache.mailet', 'com.sun.mail', 'javax.mail')


def pool(thread):
    # "split-domain-relay-3" and "split-domain-relay-12" are one pool
    return re.sub(r'[-#_ ]?\d+', '', thread) or thread


def main():
    title = sys.argv[1] if len(sys.argv) > 1 else 'profile'
    top, inclusive, threads, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for sample in sys.stdin.read().split('jdk.ExecutionSample')[1:]:
        frames = [match.group(1) for match in map(FRAME.match, sample.splitlines()) if match]
        if not frames:
            continue
        total += 1
        thread = THREAD.search(sample)
        threads[pool(thread.group(1)) if thread else '?'] += 1
        top[frames[0]] += 1
        for frame in dict.fromkeys(frames):
            if frame.startswith(INCLUSIVE):
                inclusive[frame] += 1
    print(f'{title}: {total} samples')
    if not total:
        return
    print('\nby thread pool:')
    for name, n in threads.most_common(12):
        print(f'{100 * n / total:5.1f}%  {name}')
    print('\nhottest top frames:')
    for frame, n in top.most_common(25):
        print(f'{100 * n / total:5.1f}%  {frame}')
    print('\nJames, Jakarta Mail and split-domain methods on the stack (inclusive):')
    for frame, n in inclusive.most_common(60):
        print(f'{100 * n / total:5.1f}%  {frame}')


if __name__ == '__main__':
    main()
