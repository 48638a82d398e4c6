#!/usr/bin/env python3
"""Check the structure of docker-compose.yml without Docker (CI cannot run containers).

usage: tools/check_compose.py [FILE]      (default: docker-compose.yml at the repository root)

What it verifies: the file parses as YAML; the EMQX service uses a pinned emqx/emqx 5.x tag; it
publishes container ports 1883, 8083 and 18083; its healthcheck runs `emqx ctl status`; its data and
log folders are named volumes declared at the top level; a second EMQX node exists only under the
"cluster" profile, with the same image, its own volumes, its own host ports, and both nodes share
one cookie and list each other as static seeds. What it cannot verify: that the image pulls, that
EMQX starts, that the healthcheck passes, that the nodes actually form a cluster.
Exit status: 0 when every check passes, 1 when one fails, 2 on a usage error.
"""

import re
import sys
from pathlib import Path

import yaml

NODE_PORTS = {1883, 8083, 18083}


def container_port(mapping) -> int | None:
    text = str(mapping.get("target") if isinstance(mapping, dict) else mapping)
    match = re.fullmatch(r"(?:[\d.]+:)?(?:\d+:)?(\d+)(?:/tcp)?", text)
    return int(match.group(1)) if match else None


def host_port(mapping) -> int | None:
    text = str(mapping.get("published") if isinstance(mapping, dict) else mapping)
    parts = text.split(":")
    return int(parts[-2]) if len(parts) >= 2 and parts[-2].isdigit() else None


def check_node(name: str, service: dict, volumes: dict, problems: list[str]) -> None:
    image = str(service.get("image", ""))
    if not re.fullmatch(r"emqx/emqx:5\.\d+\.\d+", image):
        problems.append(f"{name}: image '{image}' is not a pinned emqx/emqx:5.X.Y tag")
    ports = {container_port(p) for p in service.get("ports", [])}
    if not NODE_PORTS <= ports:
        problems.append(f"{name}: publishes container ports {sorted(p for p in ports if p)}, "
                        f"needs {sorted(NODE_PORTS)}")
    test = service.get("healthcheck", {}).get("test", [])
    words = " ".join(test if isinstance(test, list) else [str(test)])
    if not re.search(r"emqx\s+ctl\s+status", words):
        problems.append(f"{name}: the healthcheck does not run 'emqx ctl status' (it is {test!r})")
    mounts = {}
    for entry in service.get("volumes", []):
        source, _, target = str(entry).partition(":")
        mounts[target.split(":")[0]] = source
    for folder in ("/opt/emqx/data", "/opt/emqx/log"):
        origin = mounts.get(folder)
        if origin is None:
            problems.append(f"{name}: {folder} is not mounted")
        elif origin.startswith((".", "/")) or origin not in volumes:
            problems.append(f"{name}: {folder} comes from '{origin}', not a named volume declared under volumes:")


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(args) > 1 or (args and args[0].startswith("-")):
        print(f"error: unexpected arguments {args}\n\n{__doc__.strip()}", file=sys.stderr)
        return 2
    path = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "docker-compose.yml"
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        print(f"check_compose: {path}: {error}", file=sys.stderr)
        return 1
    problems: list[str] = []
    services = document.get("services", {}) if isinstance(document, dict) else {}
    volumes = document.get("volumes", {}) or {}
    nodes = {name: s for name, s in services.items() if str(s.get("image", "")).startswith("emqx/")}
    default = [n for n, s in nodes.items() if not s.get("profiles")]
    cluster = [n for n, s in nodes.items() if "cluster" in (s.get("profiles") or [])]
    if len(default) != 1:
        problems.append(f"expected exactly one EMQX service without a profile, found {default}")
    if len(cluster) != 1:
        problems.append(f"expected exactly one EMQX service under the 'cluster' profile, found {cluster}")
    for name, service in nodes.items():
        check_node(name, service, volumes, problems)
    if len(default) == 1 and len(cluster) == 1:
        first, second = nodes[default[0]], nodes[cluster[0]]
        if first.get("image") != second.get("image"):
            problems.append("the two nodes run different images")
        env = [s.get("environment", {}) for s in (first, second)]
        names = [e.get("EMQX_NODE__NAME") for e in env]
        if None in names or names[0] == names[1]:
            problems.append(f"the nodes need distinct EMQX_NODE__NAME values, found {names}")
        cookies = {e.get("EMQX_NODE__COOKIE") for e in env}
        if len(cookies) != 1 or None in cookies:
            problems.append("the nodes must share one EMQX_NODE__COOKIE")
        for e in env:
            seeds = str(e.get("EMQX_CLUSTER__STATIC__SEEDS", ""))
            if e.get("EMQX_CLUSTER__DISCOVERY_STRATEGY") != "static" or not all(n and n in seeds for n in names):
                problems.append(f"{e.get('EMQX_NODE__NAME')}: static discovery must list both nodes as seeds")
        hosts = [host_port(p) for s in (first, second) for p in s.get("ports", [])]
        if len(hosts) != len(set(hosts)):
            problems.append(f"the nodes publish clashing host ports {hosts}")
        if set(str(v) for v in first.get("volumes", [])) & set(str(v) for v in second.get("volumes", [])):
            problems.append("the nodes share a volume: each node needs its own data and log")
    for problem in problems:
        print(f"check_compose: {path.name}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check_compose: {path.name}: ok (EMQX {nodes[default[0]]['image'].split(':')[1]}, "
          f"services {', '.join(nodes)}; structure only, nothing was started)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
