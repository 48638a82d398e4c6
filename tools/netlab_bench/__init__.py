"""The benchmark harness behind ./lab bench (entry points: tools/bench.py, bench_http.py, bench_mqtt.py).

  candidates.py   what the labs declare in labs/NN_*/bench.json, and its placeholders
  process.py      child processes: started pinned, ready line awaited with a deadline, drained, stopped
  sampling.py     CPU use from /proc
  stats.py        medians and per-round ratios
  report.py       text tables, CSV, the gnuplot chart
  echo.py         the echo suite (echo_model.py: its data; echo_report.py: its figures)
  http.py         lab 07's suite: libcurl clients vs wrk on lab 05's reference HTTP server
  mqtt.py         lab 08's suite: the paho publisher vs mosquitto_pub on one private broker
"""
