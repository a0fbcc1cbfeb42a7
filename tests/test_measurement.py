"""The one measurement module: time (warm-up, round-robin, intervals on ratios, torch's
threads set to the runtime's), memory in fresh processes, counts and sizes."""

import time
from functools import partial

import pytest
import torch
from transformers import BertConfig, BertModel

from course_utils.core import measurement


def _tiny_bert(layers: int, hidden: int, vocab: int = 1000) -> torch.nn.Module:
    torch.manual_seed(0)
    config = BertConfig(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=4, intermediate_size=4 * hidden,
                        max_position_embeddings=64)
    return BertModel(config, add_pooling_layer=False).eval()


def test_time_call_warms_up_then_reads_the_clock_around_each_timed_call(monkeypatch):
    events = []
    clock = iter(range(100))
    monkeypatch.setattr(measurement, "benchmark_clock",
                        lambda: events.append("clock") or float(next(clock)))
    timing = measurement.time_call(lambda: events.append("call"), warmup=2, repeats=3)
    assert events == ["clock", "call", "clock"] * 5  # warm-up calls are timed and dropped
    assert timing.times == (1.0, 1.0, 1.0) and timing.median == timing.p90 == 1.0


def test_the_clock_is_torchs_which_waits_for_queued_gpu_work():
    from torch.utils.benchmark.utils.timer import timer

    assert measurement.benchmark_clock is timer  # it synchronises an accelerator if any


def test_timing_runs_on_the_runtimes_threads_and_restores_the_callers(monkeypatch):
    monkeypatch.setenv("COURSE_THREADS", "1")
    torch.set_num_threads(2)
    seen = []
    measurement.time_call(lambda: seen.append(torch.get_num_threads()), warmup=0, repeats=2)
    measurement.time_each(lambda _: seen.append(torch.get_num_threads()), [1, 2], warmup=0)
    assert seen == [1, 1, 1, 1] and torch.get_num_threads() == 2


def test_one_quantile_definition_for_every_median_and_p90():
    times = [0.1 * i for i in range(1, 11)]
    timing = measurement.Timing.of(times)
    assert timing.median == pytest.approx(0.55) and timing.p90 == pytest.approx(0.91)
    each = measurement.time_each(lambda seconds: time.sleep(seconds), [0.001, 0.02], warmup=0)
    assert each.times[0] < each.times[1] and len(each.times) == 2


def test_speedup_of_paired_repeats_is_the_ratio_of_medians_with_an_interval():
    reference = measurement.Timing.of([2.0, 2.2, 1.9, 2.1, 2.4, 2.0, 2.05])
    faster = measurement.Timing.of([1.0, 1.1, 0.95, 1.05, 1.2, 1.0, 1.02])
    ratio = measurement.speedup(reference, faster)
    assert ratio.value == pytest.approx(reference.median / faster.median)
    assert 1.8 < ratio.low <= ratio.value <= ratio.high < 2.2
    assert measurement.speedup(faster, reference).high < 0.6  # the other way round: slower
    assert str(ratio).endswith(f"(95% CI {ratio.low:.2f}-{ratio.high:.2f})")
    with pytest.raises(ValueError, match="same round-robin"):
        measurement.speedup(reference, measurement.Timing.of([1.0, 1.1, 1.2]))
    with pytest.raises(ValueError, match="at least 3"):
        measurement.speedup(measurement.Timing.of([1, 2]), measurement.Timing.of([1, 2]))


def test_interleaved_calls_measure_a_real_difference_and_not_an_absent_one():
    timings = measurement.interleaved_calls({"slow": partial(time.sleep, 0.03),  # 10x: a busy
                                             "fast": partial(time.sleep, 0.003),  # machine's
                                             "twin": partial(time.sleep, 0.03)},  # delays
                                            warmup=1, repeats=7)  # cannot hide it
    assert len(timings["slow"].times) == 7
    assert measurement.speedup(timings["slow"], timings["fast"]).low > 1.5
    same = measurement.speedup(timings["slow"], timings["twin"])  # the control: no difference
    assert same.low < 1.5 and same.high > 0.67


@pytest.mark.serial  # times real compute: a neighbour on the other core blurs its interval
def test_benchmark_table_puts_a_slower_model_below_the_reference():
    """One layer of width 32 against four of width 256 (about 8x slower, 100x the parameters):
    the table's ratios and the speed-up's interval must land on the right side of 1."""
    small, big = _tiny_bert(1, 32), _tiny_bert(4, 256)
    bench = measurement.benchmark_models({"small": small, "big": big}, reference="small",
                                         batch_size=2, seq_len=32, repeats=7, disk=True)
    slow = bench.speedups["big"]
    assert bench.speedups["small"].value == 1.0 and slow.low <= slow.value <= slow.high < 0.5
    assert len(bench.timings["big"].times) == 7
    table = bench.table()  # the same figures, for display
    reference, slower = table.loc["small"], table.loc["big"]
    assert reference["latency ms ratio"] == reference["speed-up"] == 1.0
    assert slower["parameters ratio"] > 50 and slower["weights MB"] > reference["weights MB"]
    assert slower["latency ms ratio"] > 2 and slower["sequences/s ratio"] < 0.5
    assert slower["speed-up high"] == slow.high and slower["on disk MB"] >= slower["weights MB"]
    with pytest.raises(KeyError, match="reference"):
        measurement.with_ratios(table, "c", ["parameters"])
    with pytest.raises(KeyError, match="reference"):
        measurement.benchmark_models({"small": small}, reference="big")


def test_counts_and_sizes_count_a_shared_tensor_once():
    layer = torch.nn.Linear(10, 4)
    assert measurement.parameter_count(layer) == 44
    assert measurement.weight_bytes(layer) == 44 * 4
    shared = torch.nn.Sequential(layer, layer)  # one layer used twice, as ALBERT shares
    assert measurement.parameter_count(shared) == 44 and measurement.weight_bytes(shared) == 176
    apart = torch.nn.Sequential(torch.nn.Linear(10, 4), torch.nn.Linear(10, 4))  # the control
    assert measurement.parameter_count(apart) == 88 and measurement.weight_bytes(apart) == 352
    with torch.device("meta"):
        assert measurement.weight_bytes(torch.nn.Linear(1000, 1000)) == 1001000 * 4


def test_sizes_of_one_model_in_its_formats():
    from course_utils.deploy import in_format, quantized_int8

    model = _tiny_bert(2, 64, vocab=5000)
    fp32, bf16 = measurement.weight_bytes(model), measurement.weight_bytes(in_format(model, "bf16"))
    int8 = measurement.weight_bytes(in_format(model, "int8"))
    assert bf16 == pytest.approx(fp32 / 2, rel=0.01)
    assert int8 < 0.4 * fp32  # the linear layers and the word table in 8 bits, + scales
    kept = measurement.weight_bytes(quantized_int8(model, embeddings=False))
    assert int8 < kept < 0.9 * fp32  # the embeddings (most of this model) kept in fp32
    on_disk = measurement.disk_bytes(model)
    assert fp32 <= on_disk < 1.05 * fp32  # the tensors plus torch.save's index
    assert measurement.disk_bytes(in_format(model, "int8")) < 0.9 * on_disk


def _allocate(n_bytes: int) -> float:
    return torch.ones(n_bytes // 4).sum().item()


@pytest.mark.slow  # forks two processes: the allocation must dwarf their noise
def test_a_fresh_process_sees_a_large_allocation_and_only_it():
    held_here = torch.ones(256 * measurement.MB // 4)  # 256 MB in this process: must not count
    one = partial(_allocate, 4)
    runs = measurement.in_fresh_processes(
        {"64 MB": partial(_allocate, 64 * measurement.MB), "4 bytes": one},
        warm_ups={"64 MB": one, "4 bytes": one})
    grown = {name: run.growth_bytes for name, run in runs.items()}
    assert 60 * measurement.MB < grown["64 MB"] < 70 * measurement.MB
    assert grown["4 bytes"] < 4 * measurement.MB  # the control: nothing allocated
    assert runs["4 bytes"].value == 1.0 and runs["4 bytes"].gpu_peak_bytes is None
    del held_here


def test_interleaved_latency_times_every_model():
    encoder = _tiny_bert(1, 32)
    timings = measurement.interleaved_latency({"a": encoder, "b": encoder}, 2, 16, warmup=1,
                                              repeats=3)
    assert set(timings) == {"a", "b"} and all(len(t.times) == 3 for t in timings.values())
