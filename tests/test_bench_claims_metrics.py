import time
from functools import partial

import pytest
import torch
from transformers import BertConfig, BertModel

from course_utils import bench, claims, metrics


def _tiny_bert(layers: int, hidden: int, vocab: int = 1000) -> torch.nn.Module:
    torch.manual_seed(0)
    config = BertConfig(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=4, intermediate_size=4 * hidden,
                        max_position_embeddings=64)
    return BertModel(config, add_pooling_layer=False).eval()


def test_time_call_warms_up_then_takes_the_median():
    calls = []

    def work():
        calls.append(1)
        time.sleep(0.002)

    timing = bench.time_call(work, warmup=3, repeats=5)
    assert len(calls) == 8 and len(timing.times) == 5
    assert 0.002 <= timing.median <= timing.p90 < 0.1


def test_sizes_of_a_small_model():
    model = torch.nn.Linear(10, 4)
    assert bench.parameter_bytes(model) == (10 * 4 + 4) * 4


def test_checkpoint_bytes_is_the_safetensors_size():
    model = _tiny_bert(2, 64, vocab=5000)  # 1.7 MB of float32 weights
    size = bench.checkpoint_bytes(model)
    assert abs(size - bench.parameter_bytes(model)) / size < 0.01


@pytest.mark.slow  # spawns two Python processes: the allocation must dwarf their noise
def test_peak_memory_in_a_fresh_process_sees_a_large_allocation_and_only_it():
    held_here = torch.ones(256 * bench.MB // 4)  # 256 MB in this process: must not count
    one = partial(torch.ones, 1)
    grown = bench.peak_memory_in_fresh_processes(
        {"64 MB": partial(torch.ones, 64 * bench.MB // 4), "4 bytes": one},
        warm_ups={"64 MB": one, "4 bytes": one}, device="cpu")  # host memory, on any machine
    assert 60 * bench.MB < grown["64 MB"] < 70 * bench.MB and grown["4 bytes"] < 4 * bench.MB
    del held_here


def test_benchmark_table_puts_a_slower_model_below_the_reference():
    """One layer of width 32 against four of width 256 (about 8x slower, 100x the parameters):
    the table's ratios and the speed-up's interval must land on the right side of 1."""
    small, big = _tiny_bert(1, 32), _tiny_bert(4, 256)
    table = bench.benchmark_models({"small": small, "big": big}, reference="small",
                                   batch_size=2, seq_len=32, repeats=7)
    reference, slower = table.loc["small"], table.loc["big"]
    assert reference["latency ms ratio"] == reference["speed-up"] == 1.0
    assert slower["parameters"] == sum(p.numel() for p in big.parameters())
    assert slower["parameters ratio"] > 50
    assert slower["latency ms ratio"] > 2 and slower["sequences/s ratio"] < 0.5
    assert slower["speed-up low"] <= slower["speed-up"] <= slower["speed-up high"] < 0.5
    assert slower["speed-up"] == pytest.approx(1 / slower["latency ms ratio"])
    with pytest.raises(KeyError, match="reference"):
        bench.with_ratios(table, "c", ["parameters"])


def test_speedup_of_a_call_that_sleeps_ten_times_longer():
    timings = bench.interleaved_calls({"2 ms": partial(time.sleep, 0.002),
                                       "20 ms": partial(time.sleep, 0.020)},
                                      warmup=1, repeats=7)
    faster = bench.speedup(timings["20 ms"], timings["2 ms"])  # the 2 ms call, against 20 ms
    assert 2 < faster.low <= faster.value <= faster.high < 20
    slower = bench.speedup(timings["2 ms"], timings["20 ms"])
    assert slower.low <= slower.value <= slower.high < 0.5
    assert slower.value == pytest.approx(1 / faster.value)
    assert str(faster).endswith(f"(95% CI {faster.low:.2f}-{faster.high:.2f})")


def test_wilson_interval_known_values():
    low, high = metrics.wilson_interval(90, 100)
    assert low == pytest.approx(0.8256, abs=1e-4) and high == pytest.approx(0.9448, abs=1e-4)
    assert metrics.wilson_interval(0, 10)[0] == 0.0
    with pytest.raises(ValueError):
        metrics.wilson_interval(0, 0)


def test_accuracy_reports_n_and_interval():
    acc = metrics.accuracy([1, 0, 1, 1], [1, 0, 0, 1])
    assert acc.value == 0.75 and acc.n == 4 and acc.low < 0.75 < acc.high
    assert "n=4" in str(acc)
    with pytest.raises(ValueError, match="predictions"):
        metrics.accuracy([1, 0], [1])


def test_claims_pass_and_fail_loudly():
    check = claims.ClaimCheck("demo")
    with pytest.raises(claims.ClaimFailed, match="no claims"):
        check.assert_all()
    speedup = 1.7
    check.add("fast", paper="1.6x", measured="1.7x", holds=speedup >= 1.5)
    check.add("ALBERT saves compute", paper="-", measured="1.0x", holds=False, expected=False)
    check.assert_all()
    assert list(check.table()["verdict"]) == ["holds", "does not hold (as the lesson says)"]
    check.add("accurate", paper="97%", measured="80%", holds=False)
    with pytest.raises(claims.ClaimFailed, match="accurate"):
        check.assert_all()
    assert "UNEXPECTED" in check._repr_html_()


def test_mcnemar_counts_discordant_pairs_and_tests_them_exactly():
    truth = [1] * 30
    a = [1] * 10 + [0] * 20            # right on the first 10
    b = [1] * 5 + [0] * 5 + [1] * 20   # right on 25: 20 that a got wrong, misses 5 that a got
    paired = metrics.mcnemar(truth, a, b)
    assert (paired.only_a, paired.only_b) == (5, 20)
    assert paired.p_value == pytest.approx(0.004077, abs=1e-5) and paired.significant
    same = metrics.mcnemar(truth, a, a)
    assert (same.only_a, same.only_b, same.p_value, same.significant) == (0, 0, 1.0, False)
    assert not metrics.mcnemar(truth, a, [1] * 11 + [0] * 19).significant
    with pytest.raises(ValueError, match="predictions"):
        metrics.mcnemar(truth, a, b[:3])
