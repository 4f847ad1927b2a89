#!/usr/bin/python3
"""A standard ICE agent (RFC 8445, Debian's python3-aioice) for the pair lab: the yardstick that the
live pair test's result is compared with wherever no port prediction is involved.

usage: iceAgent.py controlling|controlled STUN_IP STUN_PORT TIMEOUT_S

Prints one JSON line with its username fragment, password and candidates (SDP), reads the peer's
line of the same shape from stdin, runs the connectivity checks and prints one JSON line:
{"result": "connected", "remote": "ip:port", "ms": time connect() took} or {"result": "failed", "error": "..."}.
After connecting it keeps answering the peer for a moment, so the peer completes too; every
socket is closed before it exits.
"""
import asyncio
import json
import sys

import aioice


async def main() -> None:
    controlling = sys.argv[1] == "controlling"
    stun_server = (sys.argv[2], int(sys.argv[3]))
    timeout = float(sys.argv[4])
    conn = aioice.Connection(ice_controlling=controlling, components=1, stun_server=stun_server, use_ipv6=False)
    try:
        await conn.gather_candidates()
        print(json.dumps({
            "ufrag": conn.local_username,
            "pwd": conn.local_password,
            "candidates": [c.to_sdp() for c in conn.local_candidates],
        }), flush=True)
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        remote = json.loads(line)
        conn.remote_username = remote["ufrag"]
        conn.remote_password = remote["pwd"]
        for sdp in remote["candidates"]:
            await conn.add_remote_candidate(aioice.Candidate.from_sdp(sdp))
        await conn.add_remote_candidate(None)
        started = asyncio.get_running_loop().time()
        try:
            await asyncio.wait_for(conn.connect(), timeout)
        except (ConnectionError, asyncio.TimeoutError) as err:
            print(json.dumps({"result": "failed", "error": str(err) or type(err).__name__}), flush=True)
            return
        pair = conn._nominated.get(1)  # the selected pair of component 1
        remote_addr = pair.remote_addr if pair else ("?", 0)
        elapsed_ms = round((asyncio.get_running_loop().time() - started) * 1000, 1)
        print(json.dumps({"result": "connected", "remote": f"{remote_addr[0]}:{remote_addr[1]}", "ms": elapsed_ms}), flush=True)
        # Bounded linger: the peer may still need our answers to its checks.
        await asyncio.sleep(1.0)
    finally:
        await conn.close()


asyncio.run(main())
