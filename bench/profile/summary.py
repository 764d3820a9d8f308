#!/usr/bin/env python3
"""Summarises `perf script -F tid,ip,sym,dso` output of the server (bench/profile/profile.sh).

  summary.py FILE                 share of CPU samples by area (the innermost frame that names one)
  summary.py FILE self [N]        top N leaf frames
  summary.py FILE incl [N]        top N frames by inclusive share
  summary.py FILE focus REGEX [N] frames under the first frame matching REGEX

Native frames without frame pointers (SQLite, OpenSSL, libc's malloc) lose their callers: their samples count in
their own area when the leaf names it (sqlite3*, libcrypto), else under "other"."""
import sys, re, collections
path = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else 'areas'
arg = sys.argv[3] if len(sys.argv) > 3 else None
def clean(sym, dso):
    if sym == '[unknown]':
        d = dso.strip('()').split('/')[-1]
        return '?' + d
    s = sym
    s = re.sub(r'\[(OptimizedTier1|Optimized|QuickJitted|InstrumentedTier|InstrumentedTier1|Tier0|OptimizedTier1OSR|PreJIT)\]$', '', s)
    m = re.search(r'\[([^\]]+)\] ([^\[\] ]+::[^(]+)\(', s)
    if m: return m.group(2)
    return s[:120]
stacks = []
cur = None
for line in open(path, errors='replace'):
    if not line.strip():
        if cur: stacks.append(cur)
        cur = None; continue
    if not line.startswith('\t') and not line.startswith(' ' * 8):
        cur = []; continue
    line = line.strip()
    m = re.match(r'([0-9a-f]+) (.*) \((.*)\)$', line)
    if not m: continue
    cur.append(clean(m.group(2), m.group(3)))
if cur: stacks.append(cur)
N = len(stacks)
print(f'samples: {N}')
def has(st, pat): return any(re.search(pat, f) for f in st)
# Areas, tried in this order on each frame from the leaf up; the first frame that names one counts.
cats=[
 ('JIT', r'libclrjit|PreStub|TieredCompilation'),
 ('sqlite3 native (SQL parse/exec)', r'^sqlite3|^yy_|^resolveExpr|^sqlite3|\?libe_sqlite3|^walker|^exprAnalyze|^btree|^pager|^pcache|^vdbe|^whereLoop|^lookupName|^codeTable|^selectExpander|^exprDup|^yy'),
 ('Microsoft.Data.Sqlite/SQLitePCL', r'Microsoft\.Data\.Sqlite|SQLitePCL'),
 ('Antiforgery', r'Antiforgery'),
 ('DataProtection/crypto', r'DataProtection|Cryptography|libcrypto|SHA|HMAC'),
 ('EF Core: SaveChanges/update', r'EntityFrameworkCore\.(Update|ChangeTracking)|DbContext::SaveChanges'),
 ('EF Core: query pipeline', r'EntityFrameworkCore\.Query|QueryCompiler|CompiledQueryCache|ExpressionTreeFuncletizer|lambda_method|EntityFrameworkQueryableExtensions'),
 ('EF Core: connection/command/other', r'EntityFrameworkCore'),
 ('System.Linq.Expressions/Reflection', r'System\.Linq\.Expressions|System\.Dynamic|System\.Reflection|RuntimeType|RuntimeMethod'),
 ('Razor/TagHelpers/views', r'AspNetCoreGeneratedDocument|Mvc\.Razor|TagHelper|Mvc\.ViewFeatures|HtmlEncoder|Razor'),
 ('Authentication/Identity', r'Authentication|Identity'),
 ('DI', r'DependencyInjection|ResolveService'),
 ('Logging', r'Logging|Logger'),
 ('Form/multipart parsing', r'WebUtilities|FormFeature|Multipart|FormReader'),
 ('MVC/RazorPages infrastructure', r'AspNetCore\.Mvc|RazorPages|Routing'),
 ('Mediator', r'Mediator'),
 ('Enrollment app code', r'Enrollment\.'),
 ('Kestrel/HTTP/sockets', r'Kestrel|System\.Net|AspNetCore\.Http|Pipelines|Sockets|SocketAsync|epoll|tcp_|sock_|__sys_|inet_'),
 ('Text.Json', r'System\.Text\.Json'),
 ('threadpool/async', r'ThreadPool|AsyncMethodBuilder|ExecutionContext|Task'),
]
def cat_inner(s):
    for f in s:  # leaf first
        for name,pat in cats:
            if re.search(pat,f): return name
    return 'other (runtime/GC/kernel unattributed)'
if mode == 'areas':
    c = collections.Counter(cat_inner(s) for s in stacks)
    for k, v in c.most_common(): print(f'{100*v/N:6.2f}% {v:6d} {k}')
elif mode in ('self', 'incl'):
    c = collections.Counter()
    for s in stacks:
        if mode == 'self': c[s[0] if s else '-'] += 1
        else:
            for f in set(s): c[f] += 1
    for k, v in c.most_common(int(arg or 60)): print(f'{100*v/N:6.2f}% {v:6d} {k[:170]}')
elif mode == 'focus':
    sub = [s[:next(i for i, f in enumerate(s) if re.search(arg, f))] for s in stacks if has(s, arg)]
    print(f'focus {arg}: {len(sub)} samples ({100*len(sub)/N:.2f}%)')
    c = collections.Counter()
    for s in sub:
        for f in set(s): c[f] += 1
    for k, v in c.most_common(int(sys.argv[4]) if len(sys.argv) > 4 else 60): print(f'{100*v/N:6.2f}% {v:6d} {k[:170]}')
