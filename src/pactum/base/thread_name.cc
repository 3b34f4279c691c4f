#include "pactum/base/thread_name.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <pthread.h>

namespace pactum {

void NameThisThread(const char* name) {
  // Longer names are refused (ERANGE) rather than cut, so they are cut here.
  const std::string cut(name, std::min<std::size_t>(std::strlen(name), 15));
  pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace pactum
