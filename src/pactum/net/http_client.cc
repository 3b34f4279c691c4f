#include "pactum/net/http_client.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <curl/curl.h>

#include "pactum/base/json.h"

namespace pactum::net {
namespace {

std::size_t AppendBody(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t AppendHeader(char* data, std::size_t size, std::size_t count, void* out) {
  std::string_view line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = std::string(value);
  }
  return size * count;
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(HttpClientOptions options) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (options.base_url.empty())
    return InvalidArgument("a server URL is needed", {{"field", "base_url"}});
  while (!options.base_url.empty() && options.base_url.back() == '/')
    options.base_url.pop_back();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Internal("curl_easy_init failed");
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(options), curl));
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpResponse> HttpClient::Send(const std::string& method, const std::string& path,
                                      const std::string& body, const std::string& content_type,
                                      const std::vector<std::string>& extra_headers) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  HttpResponse response;
  const std::string url = options_.base_url + path;
  curl_slist* headers = nullptr;
  if (!options_.bearer_token.empty())
    headers =
        curl_slist_append(headers, ("Authorization: Bearer " + options_.bearer_token).c_str());
  if (!body.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  for (const std::string& h : extra_headers)
    headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!body.empty() || method == "POST" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) return Unavailable(method + " " + url + ": " + curl_easy_strerror(code));
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::string ErrorMessage(const HttpResponse& response) {
  auto json = ParseJson(response.body);
  if (json.ok() && json->is_object() && json->contains("error") && (*json)["error"].is_object()) {
    const Json& error = (*json)["error"];
    if (error.contains("message") && error["message"].is_string())
      return error["message"].get<std::string>();
  }
  std::string body = response.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r'))
    body.pop_back();
  return "HTTP " + std::to_string(response.status) + (body.empty() ? "" : ": " + body);
}

}  // namespace pactum::net
