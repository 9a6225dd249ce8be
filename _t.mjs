import * as tf from "@tensorflow/tfjs";
await tf.setBackend("cpu"); await tf.ready();
console.log(tf.getBackend(), tf.version.tfjs);
const x = tf.tensor1d(new Float32Array([1,2,3]));
console.log(tf.exp(x.mul(2).add(1)).dataSync());
const g = tf.grad((x) => x.square().sum());
console.log(g(x).dataSync());
try { tf.tensor1d(new Float64Array([1,2]), "float64"); } catch (e) { console.log("f64:", e.message); }
