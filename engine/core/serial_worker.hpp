// SPDX-License-Identifier: MIT
// One background thread that runs tasks in the order they were posted. A run uses it to overlap
// checksums and the HDF5 writer with loading and backtesting: one thread keeps every HDF5 call
// serialised, and the FIFO order makes the file's contents independent of timing.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

namespace rotor {

class SerialWorker {
public:
    SerialWorker();
    // Drops the tasks not yet started, waits for the running one and joins: what a task
    // references must outlive the worker (declare the worker after it).
    ~SerialWorker();
    SerialWorker(const SerialWorker&) = delete;
    SerialWorker& operator=(const SerialWorker&) = delete;

    // Queues `task`. Once a task has thrown, the tasks after it are skipped and wait() rethrows
    // that first exception: a writer never runs on after a failed step.
    void post(std::function<void()> task);

    // Queues `f` and returns its result as a future (which holds its exception, if any; a task
    // skipped after an earlier failure leaves a broken promise).
    template <class F>
    auto submit(F f) -> std::future<std::invoke_result_t<F>> {
        using R = std::invoke_result_t<F>;
        auto promise = std::make_shared<std::promise<R>>();
        std::future<R> result = promise->get_future();
        post([promise, f = std::move(f)]() mutable {
            try {
                if constexpr (std::is_void_v<R>) {
                    f();
                    promise->set_value();
                } else {
                    promise->set_value(f());
                }
            } catch (...) {
                promise->set_exception(std::current_exception());
                throw;  // the worker records it too, and skips what follows
            }
        });
        return result;
    }

    // Blocks until every task posted so far has run (or been skipped); rethrows the first
    // exception a task threw.
    void wait();

private:
    void loop();

    std::mutex mutex_;
    std::condition_variable wake_;  // the worker: a task arrived or stop
    std::condition_variable idle_;  // wait(): the queue drained
    std::deque<std::function<void()>> queue_;
    bool busy_ = false;
    bool stop_ = false;
    std::exception_ptr failure_;
    std::thread thread_;  // last: started after every other member exists
};

}  // namespace rotor
