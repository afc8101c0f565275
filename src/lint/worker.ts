/** A lint worker: checks the pages it is given and posts the findings and shellcheck jobs back. */
import {parentPort, workerData} from 'node:worker_threads'
import {checkPages, type CheckRequest} from './check.js'

parentPort?.postMessage(await checkPages(workerData as CheckRequest))
