import re,collections,sys
txt=open(sys.argv[1]).read()
tag=sys.argv[2]; filt=sys.argv[3] if len(sys.argv)>3 else None
evs=txt.split(tag+' {')[1:]
threads=collections.Counter(); incl=collections.Counter(); top=collections.Counter()
n=0
for e in evs:
    m=re.search(r'sampledThread = "([^"]*)"',e); t=m.group(1) if m else '?'
    t2=re.sub(r'\d+','N',t); threads[t2]+=1
    if filt and not t.startswith(filt): continue
    n+=1
    st=re.findall(r'^\s+([\w.$<>/]+)\(',e,re.M)
    if st: top[st[0]]+=1
    for f in set(st): incl[f]+=1
tot=len(evs)
print('total',tot)
for k,v in threads.most_common(12): print(f"{v*100/tot:5.1f}% {k}")
print('-- filter',filt,n)
for k,v in top.most_common(15): print(f"  top {v*100/max(n,1):5.1f}% {k}")
for k,v in incl.most_common(40): print(f"  incl {v*100/max(n,1):5.1f}% {k}")
