"""localstripe (a Stripe API emulator installed in the venv) as a
subprocess on a free port."""
import subprocess
import sys
import time
import urllib.request

from .. import ports


free_port = ports.free_port


class LocalStripe:

    def __init__(self):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.process = None

    def start(self, timeout=30):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'urbantherapy.emulators.localstripe_server',
                '--port', str(self.port),
                '--from-scratch'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(
                    self.url + '/js.stripe.com/v3/', timeout=1).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("localstripe exited")
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("localstripe did not start")

    def register_webhook(self, name, url, secret):
        data = ('url=%s&secret=%s' % (url, secret)).encode()
        urllib.request.urlopen(urllib.request.Request(
                '%s/_config/webhooks/%s' % (self.url, name), data=data,
                method='POST'), timeout=5).read()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
