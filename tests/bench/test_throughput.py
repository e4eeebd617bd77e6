"""The throughput benchmark's view of the process tree (bench/throughput.py): every
process of a command sampled is named for its role, CPU and peak RSS summed by role.

Nothing here runs the pipeline."""

import os
import subprocess
import sys
import threading
import time

import psutil

import throughput


def test_processes_are_named_for_their_role_and_summed_by_it():
    sample = throughput.TreeSample(cpu_seconds={1: 2.5, 2: 4.0, 3: 1.0}, roles={1: "command", 2: "stage worker",
                                   3: "stage worker"}, peak_rss={1: 100 * throughput.MB, 2: 300 * throughput.MB,
                                                                 3: 200 * throughput.MB})
    assert throughput.by_role(sample) == {
        "stage worker": {"processes": 2, "cpu_seconds": 5.0, "peak_rss_mb": 300.0},
        "command": {"processes": 1, "cpu_seconds": 2.5, "peak_rss_mb": 100.0},
    }


def test_the_sampler_names_the_command_and_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import subprocess, sys; "
                              "subprocess.run([sys.executable, '-c', 'import time; time.sleep(1.5)'])"])
    sample, stop = throughput.TreeSample(), threading.Event()
    sampler = threading.Thread(target=throughput.sample_tree, args=(psutil.Process(child.pid), sample, stop))
    sampler.start()
    time.sleep(0.8)
    stop.set()
    sampler.join()
    child.wait()
    assert sample.roles[child.pid] == "command"
    assert set(sample.roles.values()) == {"command", "other"} and os.getpid() not in sample.roles
