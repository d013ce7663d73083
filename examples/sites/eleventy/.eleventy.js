module.exports = function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy("src/robots.txt");

  // Los borradores (`draft: true`) se ven con `eleventy --serve` pero no se publican.
  eleventyConfig.addPreprocessor("drafts", "*", (data, content) => {
    if (data.draft && process.env.ELEVENTY_RUN_MODE === "build") {
      return false;
    }
  });

  return {
    dir: {
      input: "src",
      includes: "_includes",
      data: "_data",
      output: "_site",
    },
    markdownTemplateEngine: "njk",
  };
};
