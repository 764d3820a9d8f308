# The environment of authentik's expression policies, rebuilt for Enrollment. Loaded once into the embedded CPython
# of the server (which only checks syntax with it) and of each policy worker process (which evaluates: serve()).
# Every evaluation passes its data in as JSON and gets one JSON document back, so no Python object outlives a call.
import functools
import ipaddress
import json
import os
import re
import sys
import traceback
import unicodedata
from ipaddress import ip_address, ip_network

FILENAME = "<expression>"
# Names an expression can use; the wrapper makes them parameters of the function, i.e. fast locals.
PARAMETERS = (
    "request", "context", "user", "prompt_context", "ak_message", "ak_logger", "ak_is_group_member",
    "ak_user_by", "ak_client_ip", "regex_match", "regex_replace", "ip_address", "ip_network",
    "list_flatten", "slugify",
)


class AkDict(dict):
    """A dict that also answers attribute access, as authentik's model objects do (invitation.fixed_data)."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def _wrap(value):
    if type(value) is AkDict:
        return value  # decoded by _decode: everything inside is wrapped already
    if isinstance(value, dict):
        return AkDict((k, _wrap(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _matches(obj, key, expected):
    field, _, op = key.partition("__")
    actual = obj.get(field) if isinstance(obj, dict) else getattr(obj, field, None)
    if field == "pk" and actual is None and isinstance(obj, dict):
        actual = obj.get("id")
    if op in ("", "exact"):
        return actual == expected or (actual is not None and str(actual) == str(expected))
    if op == "iexact":
        return str(actual).lower() == str(expected).lower()
    if op == "in":
        return actual in expected or str(actual) in [str(e) for e in expected]
    if op == "contains":
        return str(expected) in str(actual)
    if op == "icontains":
        return str(expected).lower() in str(actual).lower()
    if op == "startswith":
        return str(actual).startswith(str(expected))
    if op == "endswith":
        return str(actual).endswith(str(expected))
    raise ValueError(f"Unsupported filter: {key}")


class QuerySet:
    """Enough of Django's QuerySet for what policies do with groups: all(), filter(), exists(), iteration."""

    def __init__(self, items):
        self._items = list(items)

    def all(self):
        return QuerySet(self._items)

    def filter(self, **filters):
        return QuerySet(i for i in self._items if all(_matches(i, k, v) for k, v in filters.items()))

    def exclude(self, **filters):
        return QuerySet(i for i in self._items if not all(_matches(i, k, v) for k, v in filters.items()))

    def exists(self):
        return bool(self._items)

    def count(self):
        return len(self._items)

    def first(self):
        return self._items[0] if self._items else None

    def values_list(self, field, flat=False):
        values = [i.get(field) for i in self._items]
        return values if flat else [(v,) for v in values]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __bool__(self):
        return bool(self._items)

    def __repr__(self):
        return f"<QuerySet {self._items!r}>"


class User:
    """request.user / pending_user: authentik's User fields, groups as a QuerySet."""

    def __init__(self, data):
        data = data or {}
        self.pk = data.get("pk")
        self.id = self.pk
        self.username = data.get("username", "")
        self.name = data.get("name", "")
        self.email = data.get("email", "")
        self.is_active = data.get("is_active", False)
        self.is_superuser = data.get("is_superuser", False)
        self.path = data.get("path", "")
        self.type = data.get("type", "")
        self.attributes = _wrap(data.get("attributes") or {})
        self.is_authenticated = bool(data.get("is_authenticated", self.pk is not None))
        self.is_anonymous = not self.is_authenticated
        self.ak_groups = QuerySet(_wrap(g) for g in data.get("groups") or [])
        self.groups = self.ak_groups
        self._all_groups = QuerySet(_wrap(g) for g in data.get("all_groups") or data.get("groups") or [])

    def all_groups(self):
        return self._all_groups

    def get(self, key, default=None):
        return getattr(self, key, default)

    def __eq__(self, other):
        return isinstance(other, User) and self.pk is not None and self.pk == other.pk

    def __hash__(self):
        return hash(self.pk)

    def __str__(self):
        return self.username

    def __repr__(self):
        return f"<User {self.username}>"


class Logger:
    """ak_logger: structlog's call shape (message plus key=value pairs), collected for the admin."""

    def __init__(self, lines):
        self._lines = lines

    def _log(self, level, event="", *args, **kw):
        text = str(event) % args if args else str(event)
        if kw:
            text += " " + " ".join(f"{k}={v!r}" for k, v in kw.items())
        self._lines.append(f"{level}: {text}")

    def debug(self, event="", *a, **kw): self._log("debug", event, *a, **kw)
    def info(self, event="", *a, **kw): self._log("info", event, *a, **kw)
    def warning(self, event="", *a, **kw): self._log("warning", event, *a, **kw)
    def error(self, event="", *a, **kw): self._log("error", event, *a, **kw)
    def exception(self, event="", *a, **kw): self._log("error", event, *a, **kw)
    warn = warning
    msg = info


def regex_match(value, regex):
    return re.search(regex, str(value)) is not None


def regex_replace(value, regex, repl):
    return re.sub(regex, repl, str(value))


def list_flatten(value):
    if isinstance(value, (list, tuple)):
        return value[0] if len(value) > 0 else None
    return value


def slugify(value, allow_unicode=False):
    value = str(value)
    if allow_unicode:
        value = unicodedata.normalize("NFKC", value)
    else:
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


def check(source):
    """None when the expression compiles, else (line in the expression, message)."""
    try:
        compile(wrap(source), FILENAME, "exec")
        return None
    except SyntaxError as e:
        # Messages such as "expected an indented block after 'if' statement on line 3" count the wrapper's line too.
        message = re.sub(r"\bon line (\d+)", lambda m: f"on line {max(1, int(m.group(1)) - 1)}", e.msg or str(e))
        return json.dumps({"line": max(1, (e.lineno or 1) - 1), "message": message})


def wrap(source):
    body = "\n".join("    " + line for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if not source.strip():
        body = "    pass"
    return f"def __expression({', '.join(PARAMETERS)}):\n{body}\n"


def compile_expression(source):
    namespace = {"__builtins__": __builtins__}
    exec(compile(wrap(source), FILENAME, "exec"), namespace)
    return namespace["__expression"]


def _plain(value):
    if isinstance(value, User):
        return value.username
    if isinstance(value, QuerySet):
        return list(value)
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return str(value)
    return value


# Every JSON object arrives as an AkDict straight from the C decoder: no second pass over the data to wrap it.
_decode = json.JSONDecoder(object_hook=AkDict).decode


@functools.lru_cache(maxsize=4096)
def _client_ip(text):
    return ip_address(text)  # immutable, so one object per address can be shared by evaluations


# The answers of most evaluations: True or False, no messages, no log lines.
_PLAIN = {True: json.dumps({"passing": True, "value": True, "messages": [], "logs": []}),
          False: json.dumps({"passing": False, "value": False, "messages": [], "logs": []})}


def run(function, data, lookup_user):
    """Runs one compiled expression on its decoded input. Errors, an expression's sys.exit() included, come back as data."""
    messages, logs = [], []
    user = User(data.get("user"))
    context = data.get("context") or AkDict()
    if isinstance(context.get("pending_user"), dict):
        context["pending_user"] = User(context["pending_user"])
    request = AkDict(user=user, context=context, http_request=data.get("http_request"), obj=data.get("obj"))
    client_ip = _client_ip(data.get("client_ip") or "255.255.255.255")

    def ak_message(message):
        messages.append(str(message))

    def ak_is_group_member(member, **filters):
        return member.all_groups().filter(**filters).exists() if isinstance(member, User) else False

    def ak_user_by(**filters):
        found = lookup_user(json.dumps(filters, default=str))
        return User(_decode(found)) if found else None

    try:
        result = function(request, context, user, data.get("prompt_context") or AkDict(), ak_message, Logger(logs),
                          ak_is_group_member, ak_user_by, client_ip, regex_match, regex_replace, ip_address, ip_network,
                          list_flatten, slugify)
        if (result is True or result is False) and not messages and not logs:
            return _PLAIN[result]
        if result is None or isinstance(result, (bool, int, str)):
            value = result
        else:
            try:
                value = json.loads(json.dumps(_plain(result), default=str))
            except (TypeError, ValueError):
                value = str(result)
        return json.dumps({"passing": bool(result), "value": value, "messages": messages, "logs": logs})
    except BaseException as e:  # noqa: B036 — SystemExit or KeyboardInterrupt from an expression must not end the worker
        line = 0
        for frame in traceback.extract_tb(e.__traceback__):
            if frame.filename == FILENAME:
                line = max(0, frame.lineno - 1)
        return json.dumps({"passing": False, "value": None, "messages": messages, "logs": logs,
                           "error": f"{type(e).__name__}: {e}", "line": line})


class LookupFailed(Exception):
    """The server could not answer ak_user_by; renamed to the server's exception type so the message reads as before."""


def _failed(error, line=0):
    return json.dumps({"passing": False, "value": None, "messages": [], "logs": [], "error": error, "line": line})


def _compile_or_error(source):
    """(function, None), or (None, the answer for an expression that cannot compile)."""
    try:
        return compile_expression(source), None
    except SyntaxError as e:
        problem = check(source)
        if problem is None:
            return None, _failed(f"SyntaxError: {e.msg or e}")
        problem = json.loads(problem)
        return None, _failed(f"SyntaxError: {problem['message']}", problem["line"])
    except BaseException as e:  # noqa: B036 — e.g. ValueError for a NUL byte, RecursionError for deep nesting
        return None, _failed(f"{type(e).__name__}: {e}")


def serve(cache_limit=2048):
    """
    The policy worker's loop: one evaluation at a time, JSON lines over the process's standard input and output.

    server -> worker   {"expression": "...", "data": {...}}          one evaluation
    worker -> server   R{"passing": ...}                             its answer
    worker -> server   T | F                                         its answer when it is True or False, no messages, no logs
    worker -> server   L{"username": "jane"}                         ak_user_by(**filters), during an evaluation
    server -> worker   U{...user...} | N | E{"type": "...", "message": "..."}   the lookup's answer

    The protocol keeps the original descriptors 0 and 1 to itself: what an expression prints (print(), a C library
    writing to descriptor 1) goes to standard error, and input() finds an empty standard input, so nothing an
    expression does can break a line of the protocol. Returns when the server closes standard input.
    """
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr

    def send(kind, text):
        answers.write(kind + text.encode() + b"\n")
        answers.flush()

    def lookup_user(filters_json):
        send(b"L", filters_json)
        reply = requests.readline()
        if not reply:
            os._exit(0)  # the server has gone: nobody is waiting for this evaluation
        if reply[:1] == b"U":
            return reply[1:].decode()
        if reply[:1] == b"E":
            error = json.loads(reply[1:])
            raise type(error["type"], (LookupFailed,), {})(error["message"])
        return None

    compiled = {}
    send(b"", json.dumps({"ready": sys.version.split(" ")[0]}))
    while True:
        line = requests.readline()
        if not line:
            return
        try:
            request = _decode(line.decode())
            source = request["expression"]
            function = compiled.get(source)
            answer = None
            if function is None:
                function, answer = _compile_or_error(source)
                if function is not None:
                    if len(compiled) >= cache_limit:
                        compiled.clear()  # edited policies leave old texts behind; start over rather than grow
                    compiled[source] = function
            if answer is None:
                answer = run(function, request["data"], lookup_user)
        except BaseException as e:  # noqa: B036 — a request this loop cannot read is answered, never the end of the worker
            answer = _failed(f"{type(e).__name__}: {e}")
        if answer is _PLAIN[True]:
            answers.write(b"T\n")
        elif answer is _PLAIN[False]:
            answers.write(b"F\n")
        else:
            answers.write(b"R" + answer.encode() + b"\n")
        answers.flush()
