"""A small DevTools-protocol client for Debian's headless chromium, for the
sales plan page's tests (tests/report/test_browser.py).

The browser is started with its own --user-data-dir on a free port chosen by
chromium itself (--remote-debugging-port=0) and stopped, with its children,
by close(); the folder is removed. The client speaks to one page target over
a WebSocket (Debian's python3-websocket) and keeps every event it receives:
console messages, exceptions, log entries, network requests, dialogs.
"""

import base64
import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import urllib.request
import zlib

CHROMIUM = os.environ.get("CRMTIER_CHROMIUM", "/usr/lib/chromium/chromium")


class MissingDependency(RuntimeError):
    pass


def require():
    """Fails (never skips) when a dependency is missing, saying what to install."""
    if not os.access(CHROMIUM, os.X_OK):
        raise MissingDependency(f"{CHROMIUM} not found: apt-get install chromium "
                                "(tools/install-deps.sh --test)")
    try:
        import websocket  # noqa: F401
    except ImportError as e:
        raise MissingDependency("python3-websocket is missing: apt-get install python3-websocket "
                                "(tools/install-deps.sh --test)") from e


class Browser:
    def __init__(self, width=1280, height=900, timeout=60):
        require()
        import websocket
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="crmtier-chromium-")
        self.stderr = open(os.path.join(self.profile, "stderr.txt"), "wb")
        # Chromium leaves a socket folder in $TMPDIR at every launch: in the
        # profile folder, it goes with it.
        env = dict(os.environ, TMPDIR=os.path.join(self.profile, "tmp"))
        os.mkdir(env["TMPDIR"])
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--log-level=3",
             "--user-data-dir=" + self.profile, "--remote-debugging-port=0",
             "--remote-allow-origins=*", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-sync",
             "--disable-component-update", "--disable-default-apps", "--mute-audio",
             "--force-color-profile=srgb", "--force-device-scale-factor=1", "--hide-scrollbars",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=self.stderr, env=env, start_new_session=True)
        try:
            port = self._port()
            deadline = time.time() + timeout
            while True:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
                pages = [t for t in targets if t.get("type") == "page"]
                if pages or time.time() > deadline:
                    break
                time.sleep(0.05)
            if not pages:
                raise RuntimeError("chromium opened no page")
            self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=timeout,
                                                  suppress_origin=True)
        except BaseException:
            self.close()
            raise
        self.next_id = 0
        self.events = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")

    def _port(self):
        path = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("chromium exited with %s: %s" % (self.proc.returncode, self._stderr()))
            try:
                with open(path) as f:
                    first = f.readline().strip()
                if first:
                    return int(first)
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port: " + self._stderr())

    def _stderr(self):
        try:
            with open(os.path.join(self.profile, "stderr.txt"), "rb") as f:
                return f.read().decode("utf-8", "replace")[-2000:]
        except OSError:
            return ""

    # --------------------------------------------------------------- protocol
    def _receive(self):
        message = json.loads(self.ws.recv())
        if "id" not in message:
            self.events.append(message)
            if message.get("method") == "Page.javascriptDialogOpening":
                # Answered at once, or the page would hang; the test sees the event.
                self._send("Page.handleJavaScriptDialog", {"accept": False})
        return message

    def _send(self, method, params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        return self.next_id

    def call(self, method, **params):
        wanted = self._send(method, params)
        while True:
            message = self._receive()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, method, timeout=None):
        deadline = time.time() + (timeout or self.timeout)
        seen = len(self.events)
        for e in self.events:
            if e.get("method") == method:
                return e
        while time.time() < deadline:
            self._receive()
            for e in self.events[seen:]:
                if e.get("method") == method:
                    return e
            seen = len(self.events)
        raise TimeoutError(method)

    # ------------------------------------------------------------------ pages
    def open(self, url):
        """Navigates and waits for the load event; returns the frame's URL."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        # Let anything the page starts at load (there should be nothing) show up.
        self.evaluate("new Promise(r => setTimeout(r, 200))")
        return url

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self):
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(("console", p.get("args")))
            elif m == "Runtime.exceptionThrown":
                out.append(("exception", p.get("exceptionDetails")))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(("log", p["entry"].get("text")))
        return out

    def requests(self):
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def dialogs(self):
        return [e["params"] for e in self.events if e.get("method") == "Page.javascriptDialogOpening"]

    def screenshot(self, x, y, width, height):
        """The page's pixels in that rectangle (page coordinates, CSS px), as
        (width, height, rows of RGB bytes)."""
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": x, "y": y, "width": width, "height": height, "scale": 1})["data"]
        return decode_png(base64.b64decode(data))

    def colour_at(self, x, y):
        """The colour of the pixel at (x, y), page coordinates, as #rrggbb."""
        return pixel(self.screenshot(int(x), int(y), 1, 1), 0, 0)

    def pdf(self):
        data = self.call("Page.printToPDF", landscape=True, printBackground=True, preferCSSPageSize=True,
                         paperWidth=11.69, paperHeight=8.27)["data"]
        return base64.b64decode(data)

    # --------------------------------------------------------------- shutdown
    def close(self):
        ws = getattr(self, "ws", None)
        if ws is not None:
            try:
                ws.close()
            except Exception:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # Children of the browser's process group that outlive it.
        deadline = time.time() + 5
        while time.time() < deadline and group_alive(self.proc.pid):
            time.sleep(0.05)
        if group_alive(self.proc.pid):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def decode_png(data):
    """(width, height, [row bytes as RGB]) of an 8-bit RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for k, v in enumerate(line) if k % 4 != 3))
        prev = line
    return width, height, rows


def pixel(shot, x, y):
    width, height, rows = shot
    x, y = int(x), int(y)
    return "#%02x%02x%02x" % tuple(rows[y][3 * x:3 * x + 3])
