/** The client suite on the simulated `uni-mp` host, against omnio and socket.io 4.8.4. */
import { runClientSuite } from "./hosts/client-suite.js";

runClientSuite("uni-mp");
