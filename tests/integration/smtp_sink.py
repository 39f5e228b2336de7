"""An aiosmtpd handler for the integration tests: every message is stored
with its envelope, so tests can count deliveries by Message-ID and check the
recipients the client really used.

Run as: /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.MessageDir DIR
"""
import json
import os
import time


class MessageDir:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("MessageDir takes one argument: the directory")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        stem = os.path.join(self.directory, "%d" % time.time_ns())
        with open(stem + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(stem + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(stem + ".tmp", stem + ".eml")
        return "250 OK"
