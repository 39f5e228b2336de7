"""An aiosmtpd handler that misbehaves on command, for fault tests: before
each SMTP command it reads a JSON mode file written by the test.

  {"mode": "up"}                 accept everything (stored like smtp_sink)
  {"mode": "421"}                answer MAIL FROM with 421 (try again later)
  {"mode": "550"}                answer MAIL FROM with 550 (permanent)
  {"mode": "451-data"}           take the body, answer DATA with 451 (try again later)
  {"mode": "554-data"}           take the body, answer DATA with 554 (permanent)
  {"mode": "hang"}               take the message body, never answer DATA
  {"mode": "refuse", "refuse": ["kacho@example.lg.jp"]}
                                 RCPT 550 for those addresses, accept others
  {"mode": "size", "limit": 20000}
                                 answer DATA with 552 (message size exceeds the
                                 limit) for a message over |limit| bytes, as a
                                 server with a size limit does; accept the others

Run as: /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c faulty_smtp.Faulty DIR MODEFILE
Accepted messages are stored as DIR/<ns>.eml with DIR/<ns>.json (the
envelope: mail_from, rcpt_tos); each refused recipient is logged in
DIR/refused.jsonl as {"time", "address"}.
"""
import asyncio
import json
import os
import time


class Faulty:
    def __init__(self, directory, mode_file):
        self.directory = directory
        self.mode_file = mode_file
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 2:
            parser.error("Faulty takes two arguments: the directory and the mode file")
        return cls(*args)

    def mode(self):
        try:
            with open(self.mode_file) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {"mode": "up"}

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mode().get("mode") == "421":
            return "421 4.3.2 Service not available, closing transmission channel"
        if self.mode().get("mode") == "550":
            return "550 5.7.1 Sender rejected"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        mode = self.mode()
        if mode.get("mode") == "refuse" and address in mode.get("refuse", []):
            with open(os.path.join(self.directory, "refused.jsonl"), "a") as f:
                f.write(json.dumps({"time": time.time(), "address": address}) + "\n")
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode().get("mode") == "hang":
            await asyncio.sleep(3600)  # the body is taken; the answer never comes
        if self.mode().get("mode") == "451-data":
            return "451 4.3.0 Temporary failure, try again later"
        if self.mode().get("mode") == "554-data":
            return "554 5.6.0 Message rejected"
        mode = self.mode()
        if mode.get("mode") == "size" and len(envelope.original_content or envelope.content) > \
                mode.get("limit", 20000):
            with open(os.path.join(self.directory, "too-big.jsonl"), "a") as f:
                f.write(json.dumps({"time": time.time(), "bytes": len(
                    envelope.original_content or envelope.content)}) + "\n")
            return "552 5.3.4 Message size exceeds fixed maximum message size"
        stem = os.path.join(self.directory, "%d" % time.time_ns())
        with open(stem + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(stem + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(stem + ".tmp", stem + ".eml")
        return "250 OK"
