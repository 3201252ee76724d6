#!/usr/bin/env python3
"""Hostile clients against a running checkind listener (issue 13).

    hostile_client.py --port PORT --public-url URL --account-sid AC...
                      (the auth token in $TWILIO_AUTH_TOKEN)

Loopback only, bounded: 64 slowloris connections (a request head, one byte
a second, never finished) and 64 idle ones are held for HOLD seconds while
signed webhooks and /healthz are sent, each of which must be answered within
1 s; then they are released. Then a 64 KiB + 1 body (413), a 60 KiB one
(200), and a captured text replayed with the boundary between MessageSid's
value and the next name moved (signs the same; 400).

Every accepted text comes from an unknown number, so each one is one inbox
entry: prints "accepted N" for the caller to compare with Redis. Prints the
worst answer times. Exit 0 when every check passed, 1 otherwise.
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse

SLOW = 64
IDLE = 64
HOLD = 5.0  # seconds the hostile connections are held
ANSWER_WITHIN = 1.0


def signature(token, url, params):
    """Twilio's: base64(HMAC-SHA1(token, url + sorted names and values))."""
    data = url + "".join(name + value for name, value in sorted(set(params)))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def encode(params):
    return "&".join(urllib.parse.quote(n, safe="") + "=" + urllib.parse.quote(v, safe="") for n, v in params)


class Checker:
    def __init__(self, args):
        self.args = args
        self.token = os.environ["TWILIO_AUTH_TOKEN"]
        self.failures = 0
        self.accepted = 0
        self.sids = 0

    def fail(self, what):
        print("FAILED: " + what, flush=True)
        self.failures += 1

    def new_sid(self):
        self.sids += 1
        return "SM%032x" % (int(time.time()) * 1000 + self.sids)

    def text(self, body, sid=None, sender=None):
        self.sids += 1
        sid = sid or self.new_sid()
        sender = sender or "+44770090%04d" % (self.sids % 10000)
        return [("MessageSid", sid), ("SmsSid", sid), ("AccountSid", self.args.account_sid), ("From", sender),
                ("To", "+447700900000"), ("Body", body), ("NumMedia", "0"), ("NumSegments", "1"),
                ("ApiVersion", "2010-04-01")]

    def request(self, method, path, body=None, headers=None, timeout=ANSWER_WITHIN):
        """(status, seconds); status -1 when not answered in time."""
        start = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            status = -1
        finally:
            conn.close()
        return status, time.monotonic() - start

    def post(self, params, sig=None, timeout=ANSWER_WITHIN):
        url = self.args.public_url + "/twilio/sms"
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": sig or signature(self.token, url, params)}
        return self.request("POST", "/twilio/sms", encode(params), headers, timeout)


def hold_hostile(port, stop):
    """64 slowloris and 64 idle connections, until `stop` is set."""
    head = b"POST /twilio/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Twilio-Signature: " + b"x" * 200
    slow = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(SLOW)]
    idle = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(IDLE)]
    sent = 0
    while not stop.wait(1.0 if sent else 0) and sent < len(head):
        for s in slow:
            try:
                s.send(head[sent:sent + 1])
            except OSError:
                pass  # cut by the listener: that is its right
        sent += 1
    for s in slow + idle:
        s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--public-url", required=True)
    parser.add_argument("--account-sid", required=True)
    args = parser.parse_args()
    signal.alarm(60)  # bounded, whatever happens
    c = Checker(args)

    # 1. Held hostile connections; webhooks and /healthz keep being answered.
    stop = threading.Event()
    holder = threading.Thread(target=hold_hostile, args=(args.port, stop))
    holder.start()
    time.sleep(0.5)  # the connections are open and dripping (the subject is wall-clock behaviour)
    worst_health = worst_webhook = 0.0
    end = time.monotonic() + HOLD
    rounds = 0
    while time.monotonic() < end:
        status, took = c.request("GET", "/healthz")
        worst_health = max(worst_health, took)
        if status != 200 or took >= ANSWER_WITHIN:
            c.fail("/healthz with %d slow + %d idle connections: %s in %.3f s" % (SLOW, IDLE, status, took))
        status, took = c.post(c.text("yes"))
        worst_webhook = max(worst_webhook, took)
        if status == 200:
            c.accepted += 1
        if status != 200 or took >= ANSWER_WITHIN:
            c.fail("signed webhook with %d slow + %d idle connections: %s in %.3f s" % (SLOW, IDLE, status, took))
        rounds += 1
        time.sleep(0.25)
    stop.set()
    holder.join(timeout=10)
    print("held %d slowloris + %d idle connections for %.0f s: %d rounds; worst /healthz %.0f ms, worst signed "
          "webhook %.0f ms" % (SLOW, IDLE, HOLD, rounds, worst_health * 1000, worst_webhook * 1000), flush=True)

    # 2. Body sizes: 64 KiB + 1 refused, 60 KiB accepted.
    def sized(total):
        params = c.text("")
        params[5] = ("Body", "a" * (total - len(encode(params))))
        assert len(encode(params)) == total
        return params
    status, _ = c.post(sized(64 * 1024 + 1), timeout=5)
    if status != 413:
        c.fail("a 64 KiB + 1 body: %s, not 413" % status)
    status, _ = c.post(sized(60 * 1024), timeout=5)
    if status == 200:
        c.accepted += 1
    else:
        c.fail("a 60 KiB body: %s, not 200" % status)

    # 3. A captured text replayed with MessageSid=<sid>NumMedia0 and no NumMedia.
    captured = c.text("is there parking?")
    url = args.public_url + "/twilio/sms"
    sig = signature(c.token, url, captured)
    status, _ = c.post(captured, sig)
    if status == 200:
        c.accepted += 1
    else:
        c.fail("the captured text: %s, not 200" % status)
    shifted = [(n, v + "NumMedia0" if n == "MessageSid" else v) for n, v in captured if n != "NumMedia"]
    if signature(c.token, url, shifted) != sig:
        c.fail("the shifted replay does not sign the same (the test is wrong)")
    status, _ = c.post(shifted, sig)
    if status != 400:
        c.fail("the boundary-shifted replay: %s, not 400" % status)

    print("accepted %d" % c.accepted, flush=True)
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
