# test_throughput.py: requests per second on one keep-alive connection
# (2,000 GETs of one order, http.client reusing its connection). The C
# client's discovery of 20,000 orders depends on this; the figure is printed.

import threading
import time
import unittest

from vsim.testkit import SimProcess

M = "pki-external-ca"
N = 2000


class ThroughputTest(unittest.TestCase):
    def test_keep_alive_requests_per_second(self):
        with SimProcess("--seed-orders", "20000", "--time-scale", "0") as s:
            c = s.client()
            oid = c.list(f"{M}/lookup/orders").data["keys"][-1]
            t0 = time.monotonic()
            for _ in range(N):
                r = c.read(f"{M}/lookup/order/{oid}")
                if r.status != 200:
                    self.fail(r)
            rate = N / (time.monotonic() - t0)
            self.assertEqual(c.connects, 1)
            c.close()
            print(f"\nvaultsim keep-alive: {rate:.0f} requests/s "
                  f"({N} GET lookup/order, one connection)", flush=True)
            self.assertGreater(rate, 500)

    def test_parallel_connections(self):
        with SimProcess("--seed-orders", "200", "--time-scale", "0") as s:
            first = s.client()
            keys = first.list(f"{M}/lookup/orders").data["keys"]
            first.close()
            results = []

            def worker(i):
                c = s.client()
                ok = 0
                for k in keys[i::8]:
                    r = c.read(f"{M}/lookup/order/{k}")
                    ok += r.status == 200 and r.data["order_id"] == k
                results.append((ok, c.connects))
                c.close()

            threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            self.assertEqual(sum(ok for ok, _ in results), 200)
            self.assertEqual([n for _, n in results], [1] * 8)
            self.assertNotIn("Traceback", s.stderr_text())


if __name__ == "__main__":
    unittest.main()
