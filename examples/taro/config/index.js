// Taro 4 build configuration (what `taro init` makes, trimmed to what this example needs).
export default {
  projectName: "omnio-chat",
  framework: "react",
  compiler: "webpack5",
  sourceRoot: "src",
  outputRoot: "dist",
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  mini: {},
  h5: { publicPath: "/" },
};
