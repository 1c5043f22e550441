// SPDX-License-Identifier: MIT
#include "engine/core/serial_worker.hpp"

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

namespace rotor {

namespace {

// Keeps `worker` off the CPU the calling thread runs on, when the process may use another one.
// Without this, the guest kernel of a 2-vCPU VM was seen to wake the worker on its creator's CPU
// and to leave both threads there for 10 ms or more while the other CPU idled.
void keepOffCallersCpu(std::thread& worker) {
#ifdef __linux__
    const int cpu = sched_getcpu();
    if (cpu < 0) return;
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (pthread_getaffinity_np(worker.native_handle(), sizeof allowed, &allowed) != 0) return;
    const auto c = static_cast<std::size_t>(cpu);
    if (CPU_COUNT(&allowed) < 2 || !CPU_ISSET(c, &allowed)) return;
    CPU_CLR(c, &allowed);
    pthread_setaffinity_np(worker.native_handle(), sizeof allowed, &allowed);
#else
    (void)worker;
#endif
}

}  // namespace

SerialWorker::SerialWorker() : thread_([this] { loop(); }) { keepOffCallersCpu(thread_); }

SerialWorker::~SerialWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        queue_.clear();
    }
    wake_.notify_one();
    thread_.join();
}

void SerialWorker::post(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(task));
    }
    wake_.notify_one();
}

void SerialWorker::wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
    if (failure_) std::rethrow_exception(failure_);
}

void SerialWorker::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        std::function<void()> task = std::move(queue_.front());
        queue_.pop_front();
        const bool skip = failure_ != nullptr;
        busy_ = true;
        lock.unlock();
        std::exception_ptr thrown;
        if (!skip) {
            try {
                task();
            } catch (...) {
                thrown = std::current_exception();
            }
        }
        task = nullptr;  // captured state is released on the worker, outside the lock
        lock.lock();
        busy_ = false;
        if (thrown && !failure_) failure_ = thrown;
        if (queue_.empty()) idle_.notify_all();
    }
}

}  // namespace rotor
