import { Component } from "react";

// The Taro app shell: the chat lives in pages/index.
export default class App extends Component {
  render() {
    return this.props.children;
  }
}
