"""The stack people would use instead of the lab: pandas holding the cleaned rows,
Python's confluent-kafka (librdkafka) sending each as JSON, same settings as the
lab and Kafka's tool.

Usage: python pythonProduce.py ROWS.jsonl TOPIC BOOTSTRAP BATCH_BYTES
  ROWS.jsonl: the cleaned rows, one JSON object per line, as the lab sends them.
Prints one JSON line: records, seconds (serialising and sending, after the rows
are loaded into the DataFrame) and msgsPerSec.
"""
import json
import sys
import time

import pandas as pd
from confluent_kafka import Producer

rows_file, topic, bootstrap, batch_bytes = sys.argv[1:5]
frame = pd.read_json(rows_file, lines=True, dtype=False)
producer = Producer({
    "bootstrap.servers": bootstrap,
    "acks": "all",
    "enable.idempotence": True,
    "compression.type": "none",
    "linger.ms": 5,
    "batch.size": int(batch_bytes),
})
failed = []


def delivered(error, _message):
    if error is not None:
        failed.append(str(error))


started = time.perf_counter()
# How a pandas user turns rows into messages: the frame's own JSON writer, one line per row.
values = frame.to_json(orient="records", lines=True, date_format="iso").splitlines()
for value in values:
    while True:
        try:
            producer.produce(topic, value.encode(), on_delivery=delivered)
            break
        except BufferError:
            producer.poll(0.01)  # the local queue is full: serve delivery reports, then retry
    producer.poll(0)
remaining = producer.flush(120)
seconds = time.perf_counter() - started
if remaining or failed:
    sys.exit(f"{remaining} messages not delivered, {len(failed)} failed: {failed[:3]}")
print(json.dumps({"records": len(values), "seconds": seconds, "msgsPerSec": len(values) / seconds}))
