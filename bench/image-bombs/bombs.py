#!/usr/bin/env python3
"""RSS of the running service while N clients each upload a maximum-size image at once.

The image is a PNG declaring 7000x7000 grey pixels (49 Mpx, under the 50 Mpx limit), about 48 KB on
disk and about 343 MB once decoded. Samples the service's VmRSS every 50 ms from /proc, and prints one
JSON line: idle, peak during the burst, right after, and after a settle period, with every status code.
Python standard library only.
"""
import http.client, json, struct, sys, threading, time, uuid, zlib

def png(side):
    raw = zlib.compressobj(9)
    body = b"".join(raw.compress(b"\0" + bytes(side)) for _ in range(side)) + raw.flush()
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) + chunk(b"IDAT", body) + chunk(b"IEND", b"")

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def upload(port, image, statuses, i):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"bomb.png\"\r\nContent-Type: image/png\r\n\r\n").encode() \
        + image + f"\r\n--{boundary}--\r\n".encode()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    c.request("POST", "/v1/geolocate", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    r = c.getresponse()
    r.read()
    statuses[i] = r.status

def main():
    port, pid, clients, settle = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    image = png(7000)
    idle = rss_mb(pid)
    statuses = [None] * clients
    threads = [threading.Thread(target=upload, args=(port, image, statuses, i)) for i in range(clients)]
    peak, start = idle, time.time()
    for t in threads: t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mb(pid))
        time.sleep(0.05)
    elapsed = time.time() - start
    after = rss_mb(pid)
    time.sleep(settle)
    print(json.dumps({"clients": clients, "image_bytes": len(image), "idle_mb": round(idle), "peak_mb": round(peak),
                      "after_mb": round(after), f"after_{int(settle)}s_mb": round(rss_mb(pid)),
                      "burst_s": round(elapsed, 1), "statuses": statuses}))

main()
