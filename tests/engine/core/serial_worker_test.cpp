// SPDX-License-Identifier: MIT
#include "engine/core/serial_worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rotor {
namespace {
namespace serial_worker_test {

TEST(SerialWorker, RunsTasksInPostingOrderOnOneOtherThread) {
    std::vector<int> order;  // only the worker touches it until wait() returns
    std::vector<std::thread::id> threads;
    SerialWorker w;
    for (int i = 0; i < 100; ++i)
        w.post([&order, &threads, i] {
            order.push_back(i);
            threads.push_back(std::this_thread::get_id());
        });
    w.wait();
    ASSERT_EQ(order.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
    for (const auto& id : threads) {
        EXPECT_EQ(id, threads.front());
        EXPECT_NE(id, std::this_thread::get_id());
    }
}

TEST(SerialWorker, SubmitReturnsTheValueOrTheException) {
    SerialWorker w;
    std::future<int> sum = w.submit([] {
        int s = 0;
        for (int i = 1; i <= 10; ++i) s += i;
        return s;
    });
    EXPECT_EQ(sum.get(), 55);
    std::future<void> bad = w.submit([] { throw std::runtime_error("disk full"); });
    EXPECT_THROW(bad.get(), std::runtime_error);
}

TEST(SerialWorker, AFailedTaskSkipsTheRestAndWaitRethrowsIt) {
    SerialWorker w;
    std::atomic<int> ran{0};
    w.post([&ran] { ++ran; });
    w.post([] { throw std::runtime_error("first failure"); });
    w.post([&ran] { ++ran; });
    w.post([] { throw std::logic_error("second failure, never thrown"); });
    std::future<int> skipped = w.submit([] { return 7; });
    try {
        w.wait();
        FAIL() << "wait() should rethrow";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "first failure");
    }
    EXPECT_EQ(ran.load(), 1);
    EXPECT_THROW(skipped.get(), std::future_error);  // broken promise: the task never ran
    // The failure sticks: a later wait() reports it again.
    EXPECT_THROW(w.wait(), std::runtime_error);
}

TEST(SerialWorker, WaitWithNothingPostedReturnsAtOnce) {
    SerialWorker w;
    w.wait();
    SUCCEED();
}

TEST(SerialWorker, DestructorDropsTasksNotStartedAndWaitsForTheRunningOne) {
    std::atomic<bool> started{false};
    std::atomic<bool> finished{false};
    std::atomic<int> later{0};
    {
        SerialWorker w;
        w.post([&] {
            started = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            finished = true;
        });
        for (int i = 0; i < 10; ++i) w.post([&later] { ++later; });
        while (!started) std::this_thread::yield();
    }
    EXPECT_TRUE(finished.load());  // joined after the running task completed
    EXPECT_EQ(later.load(), 0);    // the queued ones were dropped
}

}  // namespace serial_worker_test
}  // namespace
}  // namespace rotor
