// libcurl, loaded when omk first needs it rather than when omk starts.
//
// libcurl and the libraries it pulls in (TLS, Kerberos, LDAP, SSH, RTMP, IDN: 30 of omk's 47
// shared libraries) took about 5 ms to map and relocate at every start, which is most of a hook
// call or a warm `omk doctor`, although only the API adapters, `omk image` and MCP over HTTP use
// it. omk therefore does not link libcurl: these definitions of the libcurl functions omk calls
// open libcurl.so.4 with dlopen on first use and forward to it. The package depends on libcurl4
// explicitly (cmake/OmkPackaging.cmake). When the library cannot be opened, the functions fail
// the way libcurl reports failure (NULL handles, CURLE_FAILED_INIT), and callers already
// handle that.
// Plain prototypes: curl.h's type-checking macros would rename the definitions below.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <mutex>

namespace {

struct Curl {
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  void (*easy_reset)(CURL*) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  void (*free)(void*) = nullptr;
  time_t (*getdate)(const char*, const time_t*) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  curl_mime* (*mime_init)(CURL*) = nullptr;
  void (*mime_free)(curl_mime*) = nullptr;
  curl_mimepart* (*mime_addpart)(curl_mime*) = nullptr;
  CURLcode (*mime_name)(curl_mimepart*, const char*) = nullptr;
  CURLcode (*mime_filename)(curl_mimepart*, const char*) = nullptr;
  CURLcode (*mime_type)(curl_mimepart*, const char*) = nullptr;
  CURLcode (*mime_data)(curl_mimepart*, const char*, size_t) = nullptr;
  CURLU* (*url)() = nullptr;
  void (*url_cleanup)(CURLU*) = nullptr;
  CURLUcode (*url_set)(CURLU*, CURLUPart, const char*, unsigned int) = nullptr;
  CURLUcode (*url_get)(CURLU*, CURLUPart, char**, unsigned int) = nullptr;
  bool loaded = false;
};

template <typename Function>
bool bind(void* library, const char* name, Function& slot) {
  slot = reinterpret_cast<Function>(::dlsym(library, name));
  return slot != nullptr;
}

const Curl& curl() {
  static Curl table;
  static std::once_flag once;
  std::call_once(once, [] {
    void* library = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) return;
    Curl loaded;
    bool ok = bind(library, "curl_global_init", loaded.global_init) &&
              bind(library, "curl_easy_init", loaded.easy_init) &&
              bind(library, "curl_easy_cleanup", loaded.easy_cleanup) &&
              bind(library, "curl_easy_reset", loaded.easy_reset) &&
              bind(library, "curl_easy_perform", loaded.easy_perform) &&
              bind(library, "curl_easy_setopt", loaded.easy_setopt) &&
              bind(library, "curl_easy_getinfo", loaded.easy_getinfo) &&
              bind(library, "curl_easy_strerror", loaded.easy_strerror) &&
              bind(library, "curl_free", loaded.free) &&
              bind(library, "curl_getdate", loaded.getdate) &&
              bind(library, "curl_slist_append", loaded.slist_append) &&
              bind(library, "curl_slist_free_all", loaded.slist_free_all) &&
              bind(library, "curl_mime_init", loaded.mime_init) &&
              bind(library, "curl_mime_free", loaded.mime_free) &&
              bind(library, "curl_mime_addpart", loaded.mime_addpart) &&
              bind(library, "curl_mime_name", loaded.mime_name) &&
              bind(library, "curl_mime_filename", loaded.mime_filename) &&
              bind(library, "curl_mime_type", loaded.mime_type) &&
              bind(library, "curl_mime_data", loaded.mime_data) &&
              bind(library, "curl_url", loaded.url) &&
              bind(library, "curl_url_cleanup", loaded.url_cleanup) &&
              bind(library, "curl_url_set", loaded.url_set) &&
              bind(library, "curl_url_get", loaded.url_get);
    if (!ok) return;  // an unusable libcurl: every call fails as below
    loaded.loaded = true;
    table = loaded;
  });
  return table;
}

}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) {
  return curl().loaded ? curl().global_init(flags) : CURLE_FAILED_INIT;
}

CURL* curl_easy_init() {
  return curl().loaded ? curl().easy_init() : nullptr;
}

void curl_easy_cleanup(CURL* handle) {
  if (handle != nullptr) curl().easy_cleanup(handle);
}

void curl_easy_reset(CURL* handle) {
  if (handle != nullptr) curl().easy_reset(handle);
}

CURLcode curl_easy_perform(CURL* handle) {
  return handle != nullptr ? curl().easy_perform(handle) : CURLE_FAILED_INIT;
}

// The variadic argument's type follows from the option's range (curl.h's CURLOPTTYPE_*): a long,
// a curl_off_t, or a pointer (object, function, blob).
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  if (handle == nullptr) return CURLE_FAILED_INIT;
  va_list args;
  va_start(args, option);
  CURLcode result;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    long value = va_arg(args, long);
    result = curl().easy_setopt(handle, option, value);
  } else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
    curl_off_t value = va_arg(args, curl_off_t);
    result = curl().easy_setopt(handle, option, value);
  } else {
    void* value = va_arg(args, void*);
    result = curl().easy_setopt(handle, option, value);
  }
  va_end(args);
  return result;
}

// Every CURLINFO takes a pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  if (handle == nullptr) return CURLE_FAILED_INIT;
  va_list args;
  va_start(args, info);
  void* out = va_arg(args, void*);
  va_end(args);
  return curl().easy_getinfo(handle, info, out);
}

const char* curl_easy_strerror(CURLcode code) {
  return curl().loaded ? curl().easy_strerror(code) : "libcurl.so.4 could not be loaded";
}

void curl_free(void* pointer) {
  if (pointer != nullptr) curl().free(pointer);
}

time_t curl_getdate(const char* text, const time_t* unused) {
  return curl().loaded ? curl().getdate(text, unused) : -1;
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  return curl().loaded ? curl().slist_append(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
  if (list != nullptr) curl().slist_free_all(list);
}

curl_mime* curl_mime_init(CURL* handle) {
  return handle != nullptr ? curl().mime_init(handle) : nullptr;
}

void curl_mime_free(curl_mime* mime) {
  if (mime != nullptr) curl().mime_free(mime);
}

curl_mimepart* curl_mime_addpart(curl_mime* mime) {
  return mime != nullptr ? curl().mime_addpart(mime) : nullptr;
}

CURLcode curl_mime_name(curl_mimepart* part, const char* name) {
  return part != nullptr ? curl().mime_name(part, name) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_filename(curl_mimepart* part, const char* name) {
  return part != nullptr ? curl().mime_filename(part, name) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_type(curl_mimepart* part, const char* type) {
  return part != nullptr ? curl().mime_type(part, type) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLcode curl_mime_data(curl_mimepart* part, const char* data, size_t size) {
  return part != nullptr ? curl().mime_data(part, data, size) : CURLE_BAD_FUNCTION_ARGUMENT;
}

CURLU* curl_url() {
  return curl().loaded ? curl().url() : nullptr;
}

void curl_url_cleanup(CURLU* url) {
  if (url != nullptr) curl().url_cleanup(url);
}

CURLUcode curl_url_set(CURLU* url, CURLUPart part, const char* content, unsigned int flags) {
  return url != nullptr ? curl().url_set(url, part, content, flags) : CURLUE_BAD_HANDLE;
}

CURLUcode curl_url_get(CURLU* url, CURLUPart part, char** out, unsigned int flags) {
  return url != nullptr ? curl().url_get(url, part, out, flags) : CURLUE_BAD_HANDLE;
}

}  // extern "C"
