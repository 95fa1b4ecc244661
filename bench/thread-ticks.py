#!/usr/bin/env python3
"""Per-thread CPU ticks of every running footprint agent (BoardAgentMain JVMs) over a window.

  bench/thread-ticks.py WINDOW_S

Reads utime+stime of /proc/PID/task/*/stat at the start and the end of the window and prints, per
agent, the ticks (1/100 s) of each thread name (numbered threads of one pool summed, "x6" = six
threads): which threads wake up and work, compared over the same window (bench/README.md 3e)."""
import os, sys, time, re, collections
def agents():
    out = {}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            cmd = open(f'/proc/{p}/cmdline','rb').read().split(b'\0')
        except OSError: continue
        if any(b'BoardAgentMain' in c for c in cmd):
            cfg = cmd[-2].decode() if cmd[-1]==b'' else cmd[-1].decode()
            out[int(p)] = os.path.basename(cfg)
    return out
def snap(pid):
    d = {}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{t}/stat').read()
        except OSError: continue
        name = s[s.index('(')+1:s.rindex(')')]
        f = s[s.rindex(')')+2:].split()
        d[t] = (name, int(f[11]) + int(f[12]))
    return d
w = float(sys.argv[1])
a = agents(); s0 = {p: snap(p) for p in a}
time.sleep(w)
print(f"per-thread CPU ticks (1/100 s) over {w:.0f} s; load {open('/proc/loadavg').read().strip()}")
for p, cfg in a.items():
    try: s1 = snap(p)
    except OSError: continue
    agg = collections.Counter(); n = collections.Counter()
    for t,(name,ticks) in s1.items():
        base = s0[p].get(t, (name,0))[1]
        key = re.sub(r'[-#]?\d+$', '', name)
        agg[key] += ticks - base; n[key] += 1
    tot = sum(agg.values())
    print(f"pid {p} {cfg}: {tot} ticks = {tot/w:.2f} % of one core, {len(s1)} threads")
    print("   " + ", ".join(f"{k}x{n[k]} {v}" for k,v in agg.most_common() if v>0))
