import re,sys,collections
groups=collections.Counter()
def group(cls, src):
    if src.startswith('shared'): return 'JDK (CDS archive, not metaspace)'
    s=src
    if src.startswith('jrt:') or src in ('java.base',): return 'JDK (loaded from jrt)'
    if src.startswith('__') or not ('.jar' in src or src.startswith('jrt')):
        # lambda / proxy / hidden class: attribute by its name
        s=cls
    if 'milo' in s or 'digitalpetri' in s or 'strict-machine' in s or 'netty-channel-fsm' in s: 
        if 'ObjectTypeInitializer' in s or 'VariableTypeInitializer' in s or '.sdk.client.model.' in cls: return 'Milo: client type model (unused)'
        if '.types.structured.' in cls or 'DataTypeInitializer' in s: return 'Milo: structures + codecs'
        return 'Milo: rest (stack, session, subscriptions)'
    if 'grpc-netty-shaded' in s or 'io.grpc.netty.shaded' in cls: return 'gRPC shaded Netty + transport'
    if 'netty' in s or cls.startswith('io.netty'): return 'Netty 4.1 (Milo)'
    if 'grpc' in s or cls.startswith('io.grpc'): return 'gRPC core/api/stub/services'
    if 'protobuf' in s or 'flexrig-proto' in s or cls.startswith('com.google.protobuf') or cls.startswith('io.flexrig.proto'): return 'protobuf + flexrig-proto'
    if 'guava' in s or 'failureaccess' in s or cls.startswith('com.google.common'): return 'Guava (gRPC)'
    if 'pi4j' in s or cls.startswith('com.pi4j'): return 'Pi4J'
    if 'picocli' in s or cls.startswith('picocli'): return 'picocli'
    if 'snakeyaml' in s: return 'snakeyaml'
    if 'sqlite' in s: return 'sqlite-jdbc'
    if 'flexrig' in s or cls.startswith('io.flexrig'): return 'Flexrig (agent, core, sim-i2c, ...)'
    if 'slf4j' in s: return 'slf4j'
    if cls.startswith(('java.','jdk.','sun.','com.sun.')): return 'JDK (generated: lambdas, proxies, LambdaForms)'
    return 'other: '+src[-40:]
for line in open(sys.argv[1]):
    m=re.search(r'\] (\S+) source: (.*)$', line.strip())
    if not m: continue
    cls,src=m.group(1),m.group(2)
    if src.startswith('file:'): src=src.rsplit('/',1)[-1]
    groups[group(cls,src)]+=1
tot=sum(groups.values())
for g,n in groups.most_common(): print(f"{n:6d} {g}")
print(f"{tot:6d} total")
