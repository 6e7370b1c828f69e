#!/usr/bin/python3
"""Parses a Prometheus text exposition file with prometheus_client's parser (Debian's
python3-prometheus-client) and prints it as JSON: {"types": {family: type}, "samples": [one
object per sample with the family name, the family type, the sample name, labels and value]}. Exits 1, with the parser's
error on stderr, when the text does not parse, and when a sample belongs to no declared family
(the parser calls those "unknown")."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    samples = []
    types = {}
    try:
        for family in text_string_to_metric_families(text):
            if family.type == "unknown":
                raise ValueError(f"family {family.name} has no # TYPE line")
            types[family.name] = family.type
            for sample in family.samples:
                value = sample.value
                samples.append({
                    "family": family.name,
                    "type": family.type,
                    "name": sample.name,
                    "labels": dict(sample.labels),
                    "value": None if math.isnan(value) else value,
                })
    except Exception as error:  # the parser raises ValueError and others for bad input
        print(f"parse_prometheus: {error}", file=sys.stderr)
        return 1
    json.dump({"types": types, "samples": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
