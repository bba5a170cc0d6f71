export default defineAppConfig({
  pages: ["pages/index/index"],
  window: {
    navigationBarTitleText: "omnio chat",
    navigationBarBackgroundColor: "#1f2937",
    navigationBarTextStyle: "white",
  },
});
