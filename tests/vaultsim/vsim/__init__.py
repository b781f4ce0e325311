# vsim: the Vault simulator package behind tests/vaultsim/vaultsim.
# cli.py builds a Simulator (simulator.py) and serves it with server.py (HTTP,
# Vault conventions, faults.py, reqlog.py, policy.py); pki_api.py / sys_api.py
# answer /v1 with the shapes of views.py over state.py (orders per namespace
# and mount), driven by scripted.py (+ certs.py, seed.py) or pebble_backend.py
# (+ acme_pebble.py, pebble_env.py); control.py is /_sim/; testkit.py helps tests.
