"""Runs the unmodified tritonclient HTTP client against Annals' Open Inference Protocol routes (README: API).

Usage: python3 tritonclient_check.py HOST:PORT TOKEN ENDPOINT FEATURE[,FEATURE...]
Needs tritonclient[http] (pip), or its source with gevent, geventhttpclient, rapidjson and numpy.
"""
import sys
import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

url, token, endpoint, features = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
# a fresh copy for every call: the client writes Inference-Header-Content-Length into the dict it is given, and a
# stale one would describe the next request's body wrongly
headers = {"Authorization": "Bearer " + token}
client = httpclient.InferenceServerClient(url=url)
print("live", client.is_server_live(headers=dict(headers)), "ready", client.is_server_ready(headers=dict(headers)))
print("server", client.get_server_metadata(headers=dict(headers)))
meta = client.get_model_metadata(endpoint, headers=dict(headers))
print("metadata", meta)
print("model ready", client.is_model_ready(endpoint, headers=dict(headers)))
version = meta["versions"][0]
print("version ready", client.is_model_ready(endpoint, model_version=version, headers=dict(headers)))

rows = np.array([[0.5] * len(features), [-0.5] * len(features), [1.0] * len(features)], dtype=np.float32)
# one FP32 tensor [n, features], sent with the binary tensor extension (the client's default)
matrix = httpclient.InferInput("input", list(rows.shape), "FP32")
matrix.set_data_from_numpy(rows, binary_data=True)
for binary_out in (True, False):
    result = client.infer(endpoint, [matrix], outputs=[httpclient.InferRequestedOutput("scores", binary_data=binary_out)],
                          headers=dict(headers))
    print("binary out" if binary_out else "json out", result.as_numpy("scores"), result.get_response()["model_version"])
# one tensor per feature, as JSON
per_feature = []
for j, name in enumerate(features):
    t = httpclient.InferInput(name, [rows.shape[0]], "FP64")
    t.set_data_from_numpy(rows[:, j].astype(np.float64), binary_data=False)
    per_feature.append(t)
by_name = client.infer(endpoint, per_feature, model_version=version, headers=dict(headers))
print("per feature", by_name.as_numpy("scores"))
assert np.allclose(by_name.as_numpy("scores"), result.as_numpy("scores"), atol=1e-6)
try:
    bad = httpclient.InferInput("input", [1, len(features) + 1], "FP32")
    bad.set_data_from_numpy(np.zeros((1, len(features) + 1), dtype=np.float32))
    client.infer(endpoint, [bad], headers=dict(headers))
    print("no error?!")
    sys.exit(1)
except InferenceServerException as e:
    print("error as expected:", e.status(), e.message())
try:
    client.get_model_metadata(endpoint, headers={"Authorization": "Bearer wrong"})
    sys.exit(1)
except InferenceServerException as e:
    print("wrong token refused:", e.status())
print("tritonclient OK")
