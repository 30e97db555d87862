#include "cli/image_response.h"

#include <gtest/gtest.h>

namespace omk::cli {
namespace {

const std::string kPng("\x89PNG\r\n\x1a\nrest", 12);

TEST(ImageBase64, DecodesStandardBase64AndRejectsTheRest) {
  EXPECT_EQ(decode_base64("aGVsbG8="), "hello");
  EXPECT_EQ(decode_base64("aGVsbG8"), "hello");
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_EQ(decode_base64("iVBORw0KGgo="), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_FALSE(decode_base64("aGVs bG8="));
  EXPECT_FALSE(decode_base64("a"));
  EXPECT_FALSE(decode_base64("aGVsbG8-"));
}

TEST(ImageMime, SniffsMagicBytes) {
  EXPECT_EQ(image_mime_type(kPng), "image/png");
  EXPECT_EQ(image_mime_type(std::string("\xFF\xD8\xFF\xE0xx", 6)), "image/jpeg");
  EXPECT_EQ(image_mime_type(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_FALSE(image_mime_type("GIF89a"));
  EXPECT_FALSE(image_mime_type(""));
  EXPECT_EQ(image_extension("image/jpeg"), "jpg");
  EXPECT_EQ(image_extension("image/png"), "png");
}

TEST(ImageErrors, CategoriesFollowStatusAndText) {
  EXPECT_EQ(categorise_image_error(401, "Incorrect API key"), ImageErrorCategory::kAuth);
  EXPECT_EQ(categorise_image_error(403, "organization must be verified"),
            ImageErrorCategory::kPermission);
  EXPECT_EQ(categorise_image_error(429, "Rate limit reached"), ImageErrorCategory::kRateLimit);
  EXPECT_EQ(categorise_image_error(429, "You exceeded your current quota (insufficient_quota)"),
            ImageErrorCategory::kBilling);
  EXPECT_EQ(categorise_image_error(402, "pay"), ImageErrorCategory::kBilling);
  EXPECT_EQ(categorise_image_error(400, "rejected by the safety system (moderation_blocked)"),
            ImageErrorCategory::kContentPolicy);
  EXPECT_EQ(categorise_image_error(400, "x (content_policy_violation)"),
            ImageErrorCategory::kContentPolicy);
  EXPECT_EQ(categorise_image_error(400, "Invalid size"), ImageErrorCategory::kBadRequest);
  EXPECT_EQ(categorise_image_error(404, "model not found"), ImageErrorCategory::kBadRequest);
  EXPECT_EQ(categorise_image_error(500, "oops"), ImageErrorCategory::kServer);
  EXPECT_EQ(categorise_image_error(503, "overloaded"), ImageErrorCategory::kServer);
}

TEST(ImageErrors, MessageComesFromTheErrorObjectWithoutTheKey) {
  std::string key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
  ImageResult result =
      parse_images_response(401,
                            R"({"error":{"message":"Incorrect API key provided: )" + key +
                                R"(","type":"invalid_request_error","code":"invalid_api_key"}})",
                            {}, key);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->category, ImageErrorCategory::kAuth);
  EXPECT_EQ(result.error->status, 401);
  EXPECT_EQ(result.error->message,
            "Incorrect API key provided: [REDACTED] (invalid_api_key, invalid_request_error)");
}

TEST(ImageErrors, RetryAfterFromHeaders) {
  ImageResult seconds = parse_images_response(429, "{}", {{"retry-after", "20"}}, "");
  ASSERT_TRUE(seconds.error);
  EXPECT_EQ(seconds.error->retry_after_seconds, 20);
  ImageResult millis = parse_images_response(429, "{}", {{"retry-after-ms", "1500"}}, "");
  EXPECT_EQ(millis.error->retry_after_seconds, 2);
  ImageResult date =
      parse_images_response(429, "{}", {{"retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"}}, "");
  EXPECT_FALSE(date.error->retry_after_seconds);
}

TEST(ImageErrors, LongMessagesAreCut) {
  ImageResult result = parse_images_response(500, std::string(5000, 'x'), {}, "");
  ASSERT_TRUE(result.error);
  EXPECT_LE(result.error->message.size(), 803u);
}

TEST(ImageResults, DecodesEveryImage) {
  ImageResult result = parse_images_response(
      200,
      R"({"created":7,"data":[{"b64_json":"iVBORw0KGgpyZXN0","revised_prompt":"a cat"},{"b64_json":"iVBORw0KGgpyZXN0"}],"usage":{"total_tokens":3}})",
      {}, "");
  ASSERT_FALSE(result.error);
  ASSERT_EQ(result.images.size(), 2u);
  EXPECT_EQ(result.images[0], kPng);
  EXPECT_EQ(result.revised_prompts, std::vector<std::string>{"a cat"});
  EXPECT_EQ(result.created, 7);
  EXPECT_EQ(result.usage["total_tokens"], 3);
}

TEST(ImageResults, UnusableAnswersAreBadResponses) {
  for (const char* body :
       {"not json", "{}", R"({"data":[]})", R"({"data":[{"url":"https://example.com/x.png"}]})",
        R"({"data":[{"b64_json":"!!"}]})", R"({"data":[{"b64_json":"aGVsbG8="}]})"}) {
    ImageResult result = parse_images_response(200, body, {}, "");
    ASSERT_TRUE(result.error) << body;
    EXPECT_EQ(result.error->category, ImageErrorCategory::kBadResponse) << body;
    EXPECT_TRUE(result.images.empty());
  }
}

}  // namespace
}  // namespace omk::cli
