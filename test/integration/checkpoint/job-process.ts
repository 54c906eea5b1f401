/** A writer process for the crash test: runs the job in JOB (JSON) and prints its counts. */
import { runJob, type Job } from './file-job.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const job = JSON.parse(process.env.JOB!) as Job;
runJob(job).then(
  (counts) => console.log(JSON.stringify(counts)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
