"""The GIL is released during forward passes: while one thread explains (a CAMModel, or a
DetectorModel's D-RISE), other Python threads run, and two threads explaining at the same time
(one model each) take less than 1.6x the wall time of one.

OpenCV's own thread pool is set to one thread through cv2 (the same libopencv_core as xcam's),
else one explain already uses both cores of a 2-core machine and the comparison says nothing.
The wall-time ratio needs two idle cores: on a loaded Linux machine the scheduler shares the CPU
between sessions (autogroups), not threads, so a second thread of this process gets no extra CPU
however the GIL behaves. The test therefore measures what the GIL decides, independently of the
load: while one thread explains, the main thread keeps running Python (a call that kept the GIL
would stop it for the whole call); and it judges the wall-time ratio (median of 5 trials)
whenever the two threads together got more than 1.5 cores of CPU time, reporting it otherwise.
Threads sharing one model (CAMModel or DetectorModel) are serialized by the binding instead of
racing."""
import os
import statistics
import threading
import time

import cv2
import numpy as np
import pytest
import xcam
from conftest import DATA

TRIALS = 5


def demo_model():
    model = xcam.CAMModel.create(os.path.join(DATA, "fashion_gapfc.onnx"))
    model.setInputParams(1 / 255.0, (28, 28), (0, 0, 0), False, False)
    return model


def demo_image(name="0_ankle_boot.png"):
    return cv2.imread(os.path.join(DATA, "images", name), cv2.IMREAD_GRAYSCALE)


def run_threads(work, threads):
    """Runs work(i) in `threads` threads started together; returns the wall time."""
    barrier = threading.Barrier(threads + 1)

    def run(i):
        barrier.wait()
        work(i)
    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in pool:
        t.join()
    return time.perf_counter() - start


def longest_pause_while(worker):
    """Runs worker() in a thread while this thread spins; the longest time this thread could
    not run Python meanwhile."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (worker(), done.set()))
    last, longest = time.perf_counter(), 0.0
    thread.start()
    while not done.is_set():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    thread.join()
    return longest


@pytest.fixture
def one_opencv_thread():
    before = cv2.getNumThreads()
    cv2.setNumThreads(1)
    yield
    cv2.setNumThreads(before)


def timed_explainer(models, call):
    """explain(i): call(models[i]) 3 times, timing each call and the thread's CPU time."""
    calls, cpu = [], [0.0, 0.0]

    def explain(i):
        start_cpu = time.thread_time()
        for _ in range(3):
            t0 = time.perf_counter()
            call(models[i])
            calls.append(time.perf_counter() - t0)
        cpu[i] = time.thread_time() - start_cpu
    explain(0), explain(1)  # warm-up
    return explain, calls, cpu


def rise_params():
    params = xcam.CAMMethodParams()
    params.numMasks = 400  # batched forward passes, all in C++
    return params


def rise_explainer():
    image, params = demo_image(), rise_params()
    return timed_explainer([demo_model(), demo_model()],
                           lambda m: m.explain(image, xcam.CAM_METHOD_RISE, [9], params))


def demo_detector():
    model = xcam.DetectorModel.create(os.path.join(DATA, "detector", "detector_yolov5.onnx"))
    model.setInputParams(1 / 255.0, (128, 128), (0, 0, 0), False)
    model.setFormat(xcam.DETECTION_YOLOV5)
    return model


def drise_explainer():
    """D-RISE on the demo detector (built-in decoder: nothing in Python during the call)."""
    image = cv2.imread(os.path.join(DATA, "detector", "scene_000.png"))
    models, params = [demo_detector(), demo_detector()], rise_params()
    targets = models[0].detect(image)[:1]
    return timed_explainer(models,
                           lambda m: m.explain(image, targets, xcam.CAM_METHOD_RISE, params))


EXPLAINERS = {"CAMModel_RISE": rise_explainer, "DetectorModel_DRISE": drise_explainer}


@pytest.mark.parametrize("kind", sorted(EXPLAINERS))
def test_python_runs_while_another_thread_explains(kind, one_opencv_thread):
    explain, calls, _ = EXPLAINERS[kind]()
    pauses = []
    for _ in range(3):
        calls.clear()
        pauses.append(longest_pause_while(lambda: explain(0)) / min(calls))
    print("\nlongest pause of the main thread / shortest explain() call: %s"
          % ", ".join("%.3f" % p for p in pauses))
    assert min(pauses) < 0.5  # a call holding the GIL would pause it for a whole call: >= 1


@pytest.mark.parametrize("kind", sorted(EXPLAINERS))
def test_two_threads_explain_in_parallel(kind, one_opencv_thread):
    explain, _, cpu = EXPLAINERS[kind]()
    ratios, cores = [], []
    for _ in range(TRIALS):
        one = run_threads(explain, 1)
        two = run_threads(explain, 2)
        ratios.append(two / one)
        cores.append(sum(cpu) / two)
    ratio, given = statistics.median(ratios), statistics.median(cores)
    print("\n%d trials: wall time two threads / one %s, median %.2f; CPU time of the two threads "
          "/ wall time, median %.2f cores" % (TRIALS, ", ".join("%.2f" % r for r in ratios), ratio,
                                              given))
    if given > 1.5:
        assert ratio < 1.6
    else:
        print("wall-time ratio not judged: the machine gave this process %.2f cores" % given)


def test_threads_sharing_a_model_are_serialized():
    model = demo_model()
    images = [demo_image("0_ankle_boot.png"), demo_image("2_trouser.png")]
    expected = [model.classify(im, 3) for im in images]
    failures = []

    def classify(i):
        for _ in range(200):
            ids, probs, maps = model.classify(images[i], 3)
            same = list(ids) == list(expected[i][0]) and np.array_equal(probs, expected[i][1]) \
                and all(np.array_equal(a, b) for a, b in zip(maps, expected[i][2]))
            if not same:
                failures.append(i)
    run_threads(classify, 2)
    assert not failures


def test_threads_sharing_a_detector_are_serialized():
    model = demo_detector()
    images = [cv2.imread(os.path.join(DATA, "detector", "scene_%03d.png" % i)) for i in (0, 1)]
    expected = [model.detect(im) for im in images]
    failures = []

    def detect(i):
        for _ in range(100):
            found = model.detect(images[i])
            if [(d.box, d.classId, d.score) for d in found] != \
                    [(d.box, d.classId, d.score) for d in expected[i]]:
                failures.append(i)
    run_threads(detect, 2)
    assert not failures
