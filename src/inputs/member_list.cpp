// SPDX-License-Identifier: MIT
#include "inputs/member_list.hpp"

#include "error.hpp"
#include "inputs/input_stream.hpp"
#include "inputs/member_maker.hpp"

#include <condition_variable>
#include <mutex>

namespace fanout {

void for_each_member(const JobSpec& group, const std::function<void(const JobSpec&)>& visit)
{
  std::mutex mutex;
  std::condition_variable more;
  bool woken = false;
  const auto inputs = open_inputs(*group.group, [&] {
    const std::lock_guard lock(mutex);
    woken = true;
    more.notify_one();
  });
  const MemberMaker maker(group);
  InputValues input;
  for (;;) {
    switch (inputs->next(input.values)) {
    case InputStream::Next::input:
      if (maker.is_selected(input)) {
        visit(maker.make(input));
      }
      ++input.seq;
      break;
    case InputStream::Next::later: {
      std::unique_lock lock(mutex);
      more.wait(lock, [&] { return woken; });
      woken = false;
      break;
    }
    case InputStream::Next::end:
      if (const auto error = inputs->error()) {
        throw Error("fanout: error: " + *error);
      }
      return;
    }
  }
}

} // namespace fanout
