import os,sys,time
pid=sys.argv[1]; n=float(sys.argv[2]) if len(sys.argv)>2 else 30
def snap():
    out={}
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            s=open(f'/proc/{pid}/task/{t}/stat').read()
            name=s[s.index('(')+1:s.rindex(')')]; f=s[s.rindex(')')+2:].split()
            out[t]=(name,int(f[11])+int(f[12]))
        except Exception: pass
    return out
a=snap(); time.sleep(n); b=snap()
rows=sorted(((b[t][1]-a[t][1],b[t][0]) for t in b if t in a), reverse=True)
tot=sum(r[0] for r in rows)
print(f"total {tot} ticks in {n}s = {tot/n:.2f} %")
for d,name in rows:
    if d>0: print(d,name)
